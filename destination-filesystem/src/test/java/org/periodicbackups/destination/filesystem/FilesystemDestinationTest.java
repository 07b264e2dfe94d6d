package org.periodicbackups.destination.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;

class FilesystemDestinationTest {
  private static final UploadMetadata METADATA =
      new UploadMetadata("shop", BackupType.FULL, 0, 10, "00");

  @TempDir Path temp;
  private Path root;
  private Path sources;
  private FilesystemDestination destination;

  @BeforeEach
  void setUp() throws IOException {
    root = temp.resolve("backups");
    sources = Files.createDirectory(temp.resolve("sources"));
    destination = new FilesystemDestination(root);
  }

  private Path source(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(sources, "src", ".bin"), bytes);
  }

  private byte[] read(String name) throws IOException {
    try (InputStream in = destination.open(name)) {
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes); // fixed seed: deterministic
    return bytes;
  }

  @Test
  void createsTheRootOnFirstUploadAndReturnsExactBytes() throws IOException {
    for (int size : new int[] {0, 17, 5 * 1024 * 1024 + 3}) {
      byte[] data = bytes(size);
      String name = "shop/chain/" + size + ".full.json.gz";

      StoredFile stored = destination.upload(name, source(data), METADATA);

      assertThat(stored.name()).isEqualTo(name);
      assertThat(stored.size()).isEqualTo(size);
      assertThat(stored.locator()).isEqualTo(root.resolve(name).toString());
      assertThat(read(name)).isEqualTo(data);
    }
  }

  @Test
  void replacesAnExistingFile() throws IOException {
    destination.upload("a.gz", source(bytes(100)), METADATA);
    destination.upload("a.gz", source(new byte[] {1, 2, 3}), METADATA);

    assertThat(read("a.gz")).containsExactly(1, 2, 3);
    assertThat(destination.list("")).extracting(StoredFile::size).containsExactly(3L);
  }

  @Test
  void listsFilesUnderPrefixSortedWithSizesAndWithoutTemporaryFiles() throws IOException {
    destination.upload("shop/b/2.gz", source(bytes(2)), METADATA);
    destination.upload("shop/a/1.gz", source(bytes(1)), METADATA);
    destination.upload("shop/a/10.gz", source(bytes(10)), METADATA);
    destination.upload("other/3.gz", source(bytes(3)), METADATA);
    Files.write(root.resolve("shop/a/.pbk-upload-123.tmp"), bytes(5)); // an interrupted upload

    assertThat(destination.list("shop/"))
        .containsExactly(
            new StoredFile("shop/a/1.gz", 1, root.resolve("shop/a/1.gz").toString()),
            new StoredFile("shop/a/10.gz", 10, root.resolve("shop/a/10.gz").toString()),
            new StoredFile("shop/b/2.gz", 2, root.resolve("shop/b/2.gz").toString()));
    assertThat(destination.list("shop/a/1"))
        .extracting(StoredFile::name)
        .containsExactly("shop/a/1.gz", "shop/a/10.gz");
    assertThat(destination.list("")).hasSize(4);
    assertThat(destination.list("nothing")).isEmpty();
  }

  @Test
  void missingRootListsNothing() throws IOException {
    assertThat(destination.list("")).isEmpty();
    assertThat(Files.exists(root)).isFalse();
  }

  @Test
  void openingAMissingFileThrowsBackupFileNotFound() throws IOException {
    destination.upload("shop/1.gz", source(bytes(1)), METADATA);

    assertThatThrownBy(() -> destination.open("shop/2.gz"))
        .isInstanceOf(BackupFileNotFoundException.class)
        .hasMessageContaining(root.toString())
        .hasMessageContaining("shop/2.gz");
    assertThatThrownBy(() -> destination.open("shop"))
        .isInstanceOf(BackupFileNotFoundException.class);
  }

  @Test
  void deleteIsIdempotentAndRemovesEmptyFolders() throws IOException {
    destination.upload("shop/chain/1.gz", source(bytes(1)), METADATA);
    destination.upload("shop/keep.gz", source(bytes(1)), METADATA);

    destination.delete("shop/chain/1.gz");
    destination.delete("shop/chain/1.gz");
    destination.delete("never/there.gz");

    assertThat(destination.list("")).extracting(StoredFile::name).containsExactly("shop/keep.gz");
    assertThat(root.resolve("shop/chain")).doesNotExist();
    assertThat(root).isDirectory();
  }

  @Test
  void namesWithUnicodeAndSpacesWork() throws IOException {
    String name = "bases de données/Ünïcødé 日本 file.gz";
    destination.upload(name, source(bytes(7)), METADATA);

    assertThat(read(name)).isEqualTo(bytes(7));
    assertThat(destination.list("")).extracting(StoredFile::name).containsExactly(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "/abs", "a/../../b", "a\\b", "a/./b", "", "a//b", ".x.tmp"})
  void rejectsUnsafeNamesAndWritesNothing(String name) throws IOException {
    Path file = source(bytes(3));

    assertThatThrownBy(() -> destination.upload(name, file, METADATA))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> destination.open(name)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> destination.delete(name)).isInstanceOf(IllegalArgumentException.class);
    try (Stream<Path> all = Files.walk(temp)) {
      assertThat(all.filter(Files::isRegularFile)).containsExactly(file);
    }
  }

  @Test
  void failedUploadOfMissingSourceLeavesNothingVisible() throws IOException {
    Path missing = sources.resolve("missing.bin");

    assertThatThrownBy(() -> destination.upload("shop/1.gz", missing, METADATA))
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining(root.toString())
        .hasMessageContaining("shop/1.gz")
        .hasMessageContaining(missing.toString());
    assertThat(destination.list("")).isEmpty();
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void failedUploadToReadOnlyFolderNamesThePathAndKeepsTheOldFile() throws IOException {
    destination.upload("shop/1.gz", source(bytes(4)), METADATA);
    Path folder = root.resolve("shop");
    assumeTrue(Files.getFileStore(folder).supportsFileAttributeView("posix"), "POSIX only");
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeTrue(!Files.isWritable(folder), "running as a user who can write anyway (root)");

      assertThatThrownBy(() -> destination.upload("shop/1.gz", source(bytes(9)), METADATA))
          .isInstanceOf(DestinationException.class)
          .hasMessageContaining(folder.toString());
    } finally {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertThat(read("shop/1.gz")).isEqualTo(bytes(4));
    try (Stream<Path> all = Files.list(folder)) {
      assertThat(all).containsExactly(folder.resolve("1.gz"));
    }
  }

  @Test
  void failedUploadWhenTargetIsAFolderLeavesNoTemporaryFile() throws IOException {
    Files.createDirectories(root.resolve("shop/1.gz/inside"));

    assertThatThrownBy(() -> destination.upload("shop/1.gz", source(bytes(4)), METADATA))
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining("shop/1.gz");
    try (Stream<Path> all = Files.list(root.resolve("shop"))) {
      assertThat(all).containsExactly(root.resolve("shop/1.gz"));
    }
  }

  @Test
  void describesItselfByItsAbsoluteRoot() {
    FilesystemDestination relative = new FilesystemDestination(Path.of("some/folder"));

    assertThat(relative.description())
        .isEqualTo(Path.of("some/folder").toAbsolutePath().toString());
    assertThat(relative.toString()).contains(relative.description());
    assertThat(relative.providerName()).isEqualTo("filesystem");
    assertThat(relative.capabilities()).isEqualTo(DestinationCapabilities.STANDARD);
    assertThat(List.of(relative.root())).allMatch(Path::isAbsolute);
  }
}
