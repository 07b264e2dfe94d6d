package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.StoredFile;

/**
 * Multipart uploads, tree hashes and retrieval against {@link GlacierFixture}, the paths moto does
 * not serve.
 */
class FixtureDestinationTest {
  private static final long MIB = TestFiles.MIB;

  @TempDir Path temp;
  private GlacierFixture fixture;
  private GlacierDestination glacier;

  @BeforeEach
  void start() throws IOException {
    fixture = new GlacierFixture("vault-1");
    glacier = builder().build();
  }

  @AfterEach
  void stop() {
    glacier.close();
    fixture.close();
  }

  private GlacierDestinationBuilder builder() {
    return GlacierDestination.builder()
        .vault("vault-1")
        .aws(
            a ->
                a.endpoint(fixture.endpoint())
                    .credentials("fixture-key", "fixture-secret")
                    .maxAttempts(2))
        .partSizeBytes(MIB)
        .poll(Duration.ofMillis(50))
        .retrievalTimeout(Duration.ofSeconds(20))
        .inventoryOnList(false)
        .tempDirectory(temp);
  }

  @Test
  @DisplayName("a 3.5-part file goes up in aligned, hashed parts and comes back byte-exact")
  void multipartRoundTrip() throws IOException {
    byte[] data = TestFiles.pattern((int) (7 * MIB / 2), 11);
    Path file = TestFiles.write(temp, "big", data);

    StoredFile stored = glacier.upload("shop/0001.full.json.gz", file, TestFiles.METADATA);

    assertThat(fixture.problems()).isEmpty();
    assertThat(fixture.partLengthsSeen()).containsExactly(MIB, MIB, MIB, MIB / 2);
    assertThat(stored)
        .isEqualTo(new StoredFile("shop/0001.full.json.gz", data.length, stored.locator()));
    assertThat(fixture.archives().get(stored.locator())).isEqualTo(data);
    assertThat(ArchiveDescription.nameOf(fixture.description(stored.locator())))
        .isEqualTo("shop/0001.full.json.gz");
    try (InputStream in = glacier.open("shop/0001.full.json.gz")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(temp).isDirectoryNotContaining("glob:**pbk-glacier-*");
  }

  @Test
  @DisplayName("a file of at most one part is one UploadArchive with its tree hash")
  void smallFileIsOneRequest() throws IOException {
    byte[] data = TestFiles.pattern((int) MIB, 3);
    StoredFile stored = glacier.upload("shop/small.gz", TestFiles.write(temp, "s", data), null);
    assertThat(fixture.problems()).isEmpty();
    assertThat(fixture.partLengthsSeen()).isEmpty();
    assertThat(fixture.archives().get(stored.locator())).isEqualTo(data);
    assertThat(glacier.list("shop/")).containsExactly(stored);
    assertThat(glacier.list("other/")).isEmpty();
  }

  @Test
  @DisplayName("a part that keeps failing aborts the multipart upload and nothing is catalogued")
  void failedPartAbortsUpload() throws IOException {
    fixture.failPartAt(MIB);
    Path file = TestFiles.write(temp, "big", TestFiles.pattern((int) (3 * MIB), 1));

    assertThatThrownBy(() -> glacier.upload("shop/fail.gz", file, TestFiles.METADATA))
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining("shop/fail.gz")
        .hasMessageContaining("glacier://vault-1");

    assertThat(fixture.aborted()).hasSize(1);
    assertThat(fixture.uploadsInProgress()).isEmpty();
    assertThat(fixture.archives()).isEmpty();
    assertThat(glacier.list("")).isEmpty();
  }

  @Test
  @DisplayName("a download whose tree hash does not match is refused and its temp file removed")
  void corruptedDownloadIsRefused() throws IOException {
    byte[] data = TestFiles.pattern((int) (5 * MIB / 2), 9);
    glacier.upload("shop/c.gz", TestFiles.write(temp, "c", data), TestFiles.METADATA);
    fixture.corruptOutput(true);

    assertThatThrownBy(() -> glacier.open("shop/c.gz"))
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining("arrived damaged")
        .hasMessageContaining("shop/c.gz");
    assertThat(temp).isDirectoryNotContaining("glob:**pbk-glacier-*");
  }

  @Test
  @DisplayName("a retrieval job that does not complete in time fails naming the timeout option")
  void retrievalTimesOut() throws IOException {
    glacier.upload("shop/t.gz", TestFiles.write(temp, "t", TestFiles.pattern(10, 1)), null);
    fixture.stallJobs(true);
    try (GlacierDestination impatient =
        builder().retrievalTimeout(Duration.ofMillis(500)).build()) {
      impatient.upload("shop/t.gz", TestFiles.write(temp, "t2", TestFiles.pattern(10, 2)), null);
      assertThatThrownBy(() -> impatient.open("shop/t.gz"))
          .isInstanceOf(DestinationException.class)
          .hasMessageContaining("did not complete within")
          .hasMessageContaining("shop/t.gz")
          .hasMessageContaining("RetrievalTimeoutMinutes");
    }
    assertThat(temp).isDirectoryNotContaining("glob:**pbk-glacier-*");
  }

  @Test
  @DisplayName("archives seeded from the status history open; unknown names are not found")
  void knownArchivesAndUnknownNames() throws IOException {
    byte[] data = TestFiles.pattern(1000, 4);
    String archiveId =
        glacier.upload("shop/k.gz", TestFiles.write(temp, "k", data), null).locator();
    try (GlacierDestination fresh =
        builder().knownArchives(Map.of("shop/k.gz", archiveId)).build()) {
      try (InputStream in = fresh.open("shop/k.gz")) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
      assertThat(fresh.list("")).containsExactly(new StoredFile("shop/k.gz", 0, archiveId));
      assertThatThrownBy(() -> fresh.open("shop/missing.gz"))
          .isInstanceOf(BackupFileNotFoundException.class)
          .hasMessageContaining("missing");
    }
  }

  @Test
  @DisplayName("delete removes the archive; deleting again or an unknown name does nothing")
  void deleteIsIdempotent() throws IOException {
    StoredFile stored =
        glacier.upload("shop/d.gz", TestFiles.write(temp, "d", TestFiles.pattern(10, 1)), null);
    glacier.delete("shop/d.gz");
    glacier.delete("shop/d.gz");
    glacier.delete("shop/never.gz");
    assertThat(fixture.archives()).doesNotContainKey(stored.locator());
    assertThat(glacier.list("")).isEmpty();
    // An archive already gone at Glacier (ResourceNotFound) counts as deleted too.
    try (GlacierDestination stale =
        builder().knownArchives(Map.of("shop/d.gz", stored.locator())).build()) {
      stale.delete("shop/d.gz");
      assertThat(stale.list("")).isEmpty();
    }
  }

  @Test
  @DisplayName("uploading a name again replaces its archive")
  void uploadReplaces() throws IOException {
    String first =
        glacier
            .upload("shop/r.gz", TestFiles.write(temp, "r1", TestFiles.pattern(10, 1)), null)
            .locator();
    String second =
        glacier
            .upload("shop/r.gz", TestFiles.write(temp, "r2", TestFiles.pattern(20, 2)), null)
            .locator();
    assertThat(fixture.archives()).containsOnlyKeys(second);
    assertThat(first).isNotEqualTo(second);
    assertThat(glacier.list("")).extracting(StoredFile::locator).containsExactly(second);
  }

  @Test
  @DisplayName("a missing vault is named as such, for uploads and deletes alike")
  void missingVaultIsReported() throws IOException {
    StoredFile stored =
        glacier.upload("shop/v.gz", TestFiles.write(temp, "v", TestFiles.pattern(10, 1)), null);
    try (GlacierDestination elsewhere =
        builder().vault("vault-2").knownArchives(Map.of("shop/v.gz", stored.locator())).build()) {
      Path file = TestFiles.write(temp, "w", TestFiles.pattern(10, 2));
      assertThatThrownBy(() -> elsewhere.upload("shop/w.gz", file, null))
          .isInstanceOf(DestinationException.class)
          .hasMessageContaining("vault 'vault-2' does not exist in region us-east-1");
      assertThatThrownBy(() -> elsewhere.delete("shop/v.gz"))
          .hasMessageContaining("vault 'vault-2' does not exist");
    }
  }

  @Test
  @DisplayName("a vault without an inventory yet lists the catalogue")
  void noInventoryYetListsCatalogue() throws IOException {
    fixture.inventories(false);
    try (GlacierDestination lister = builder().inventoryOnList(true).build()) {
      StoredFile stored =
          lister.upload("shop/i.gz", TestFiles.write(temp, "i", TestFiles.pattern(10, 1)), null);
      assertThat(lister.list("")).containsExactly(stored);
    }
  }

  @Test
  @DisplayName("capabilities: no immediate listing or reads; size bound by 10,000 parts")
  void capabilities() {
    assertThat(glacier.capabilities().immediateListing()).isFalse();
    assertThat(glacier.capabilities().immediateReads()).isFalse();
    assertThat(glacier.capabilities().maxFileSize()).isEqualTo(10_000 * MIB);
    try (GlacierDestination big = builder().partSizeBytes(4096 * MIB).build()) {
      // 10,000 parts of 4 GiB: just under Glacier's nominal 40 TiB.
      assertThat(big.capabilities().maxFileSize()).isEqualTo(10_000 * 4096 * MIB);
    }
  }
}
