package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The behaviour every S3-compatible service must give the destination. Subclasses supply the
 * service; each test works under a fresh prefix and checks it is empty before and after.
 */
abstract class S3DestinationContract {
  static final long MIB = 1024 * 1024;
  static final UploadMetadata METADATA =
      new UploadMetadata("shöp db", BackupType.INCREMENTAL, 10, 42, "ab".repeat(32));
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  @TempDir Path temp;
  S3Destination destination;
  S3Client raw;

  /** The service under test, with its bucket created. */
  abstract S3Target target();

  @BeforeEach
  void openDestination(TestInfo test) throws IOException {
    String prefix =
        "/contract/"
            + test.getTestMethod().orElseThrow().getName()
            + "-"
            + PREFIXES.incrementAndGet()
            + "/";
    destination = target().builder().prefix(prefix).partSizeBytes(5 * MIB).build();
    raw = target().rawClient();
    assertThat(destination.list("")).as("fresh prefix is empty").isEmpty();
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (destination == null) {
      return; // the service was not available and the test was skipped
    }
    for (StoredFile file : destination.list("")) {
      destination.delete(file.name());
    }
    assertThat(destination.list("")).as("prefix empty after the test").isEmpty();
    destination.close();
    raw.close();
  }

  @Test
  @DisplayName("an empty file round-trips")
  void roundTripsEmptyFile() throws IOException {
    assertRoundTrip("shop/empty.json.gz", 0);
  }

  @Test
  @DisplayName("a small file round-trips byte-exact with its metadata")
  void roundTripsSmallFileWithMetadata() throws IOException {
    StoredFile stored = assertRoundTrip("shop/0001.full.json.gz", 70_001);
    assertThat(stored.locator())
        .isEqualTo(
            "s3://"
                + target().bucket()
                + "/"
                + destination.config().prefix()
                + "shop/0001.full.json.gz");
    HeadObjectResponse head =
        raw.headObject(
            b ->
                b.bucket(target().bucket())
                    .key(destination.config().prefix() + "shop/0001.full.json.gz"));
    assertThat(head.metadata())
        .containsEntry("database", "sh%C3%B6p+db")
        .containsEntry("backup-type", "INCREMENTAL")
        .containsEntry("from-etag", "10")
        .containsEntry("to-etag", "42")
        .containsEntry("sha256", "ab".repeat(32));
  }

  @Test
  @DisplayName("a multipart file of three 5 MiB parts round-trips byte-exact")
  void roundTripsMultipartFile() throws IOException {
    assertRoundTrip("shop/0002.full.json.gz", 10 * MIB + 12_345);
    assertThat(
            raw.listMultipartUploads(
                    b -> b.bucket(target().bucket()).prefix(destination.config().prefix()))
                .uploads())
        .isEmpty();
  }

  @Test
  @DisplayName("upload replaces a file of the same name")
  void uploadReplaces() throws IOException {
    destination.upload("a", file("first", 100), METADATA);
    assertRoundTrip("a", 50);
  }

  @Test
  @DisplayName("list returns names relative to the prefix, sorted, with sizes")
  void listsSortedWithSizes() throws IOException {
    destination.upload("shop/b/0002", file("1", 2), METADATA);
    destination.upload("shop/a/0010", file("2", 10), METADATA);
    destination.upload("shop/a/0001", file("3", 1), METADATA);
    destination.upload("other/x", file("4", 4), METADATA);
    raw.putObject(
        b -> b.bucket(target().bucket()).key("outside-the-prefix"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
    try {
      assertThat(destination.list("shop/"))
          .extracting(StoredFile::name, StoredFile::size)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("shop/a/0001", 1L),
              org.assertj.core.groups.Tuple.tuple("shop/a/0010", 10L),
              org.assertj.core.groups.Tuple.tuple("shop/b/0002", 2L));
      assertThat(destination.list(""))
          .extracting(StoredFile::name)
          .containsExactly("other/x", "shop/a/0001", "shop/a/0010", "shop/b/0002");
      assertThat(destination.list("nothing/")).isEmpty();
    } finally {
      raw.deleteObject(b -> b.bucket(target().bucket()).key("outside-the-prefix"));
    }
  }

  @Test
  @DisplayName("open of a missing file throws BackupFileNotFoundException")
  void missingFileIsNotFound() {
    assertThatThrownBy(() -> destination.open("shop/missing.json.gz"))
        .isInstanceOf(BackupFileNotFoundException.class)
        .hasMessageContaining("shop/missing.json.gz")
        .hasMessageContaining("s3://" + target().bucket());
  }

  @Test
  @DisplayName("delete removes a file and is idempotent")
  void deleteIsIdempotent() throws IOException {
    destination.upload("shop/x", file("x", 3), METADATA);
    destination.delete("shop/x");
    destination.delete("shop/x");
    destination.delete("never/was");
    assertThat(destination.list("")).isEmpty();
    assertThatThrownBy(() -> destination.open("shop/x"))
        .isInstanceOf(BackupFileNotFoundException.class);
  }

  @Test
  @DisplayName("names with unicode and spaces round-trip and list")
  void unicodeAndSpaceNames() throws IOException {
    assertRoundTrip("café/été 2026 + 50%.json.gz", 123);
    assertRoundTrip("名前/ファイル 1.json.gz", 7);
    assertThat(destination.list(""))
        .extracting(StoredFile::name)
        .containsExactly("café/été 2026 + 50%.json.gz", "名前/ファイル 1.json.gz");
  }

  @Test
  @DisplayName("unsafe names are refused before any request")
  void refusesUnsafeNames() {
    assertThatThrownBy(() -> destination.open("../escape"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> destination.delete("/absolute"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  StoredFile assertRoundTrip(String name, long size) throws IOException {
    Path source = file(name.replaceAll("[^A-Za-z0-9.]", "_"), size);
    StoredFile stored = destination.upload(name, source, METADATA);
    assertThat(stored.name()).isEqualTo(name);
    assertThat(stored.size()).isEqualTo(size);
    try (InputStream in = destination.open(name)) {
      assertThat(in.readAllBytes()).as(name).isEqualTo(Files.readAllBytes(source));
    }
    assertThat(destination.list("")).contains(stored);
    return stored;
  }

  /** A file of {@code size} pseudo-random bytes (fixed seed, so runs are repeatable). */
  Path file(String fileName, long size) throws IOException {
    Path path = temp.resolve(fileName + "-" + size);
    Random random = new Random(size);
    byte[] block = new byte[64 * 1024];
    try (var out = Files.newOutputStream(path)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
    return path;
  }

  static List<String> keys(S3Client s3, String bucket, String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(o -> o.key())
        .toList();
  }
}
