package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.StoredFile;

/** S: uploads are read back exactly, listed exactly, replaced and deleted as the SPI says. */
abstract class StorageRules extends RuleGroup {
  /** A name shaped like the engine's: database, chain folder, numbered incremental file. */
  static final String NESTED =
      "db/20261128T144300.000Z/000001-20261128T144300.000Z" + ".incremental.json.gz";

  StorageRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  /** Uploads seeded content of {@code size} bytes and checks it reads back exactly. */
  private void roundTrip(String rule, String name, long size) throws Exception {
    byte[] data = f().data(name, size);
    f().upload(rule, name, data);
    assertSameBytes(rule, name, f().read(rule, name), data);
  }

  @Test
  @DisplayName("S1.1 upload returns a StoredFile with the name asked for and the file's size")
  void uploadReturnsNameAndSize() throws Exception {
    StoredFile stored = f().upload("S1.1", NESTED, f().data(NESTED, 1000));
    assertThat(stored).as("S1.1 upload('%s') returned null", NESTED).isNotNull();
    assertThat(stored.name())
        .as("S1.1 StoredFile.name() of upload('%s')", NESTED)
        .isEqualTo(NESTED);
    assertThat(stored.size()).as("S1.1 StoredFile.size() of a 1000-byte upload").isEqualTo(1000);
  }

  @Test
  @DisplayName("S1.2 upload returns a StoredFile with a non-empty locator")
  void uploadReturnsLocator() throws Exception {
    StoredFile stored = f().upload("S1.2", NESTED, f().data(NESTED, 10));
    assertThat(stored.locator())
        .as("S1.2 StoredFile.locator() of upload('%s')", NESTED)
        .isNotBlank();
  }

  @Test
  @DisplayName("S2.1 returns exactly the bytes of an empty file")
  void emptyFile() throws Exception {
    roundTrip("S2.1", "empty.json.gz", 0);
  }

  @Test
  @DisplayName("S2.2 returns exactly the bytes of a 1-byte file")
  void oneByteFile() throws Exception {
    roundTrip("S2.2", "one.json.gz", 1);
  }

  @Test
  @DisplayName("S2.3 returns exactly the bytes of a 1 KiB file")
  void smallFile() throws Exception {
    roundTrip("S2.3", NESTED, 1024);
  }

  @Test
  @DisplayName("S2.4 returns exactly the bytes of a large file (largestFileToTest, seeded)")
  void largeFile() throws Exception {
    long size = Math.min(kit().largestFileToTest(), f().capabilities.maxFileSize());
    roundTrip("S2.4", "db/large.full.json.gz", size);
  }

  @Test
  @DisplayName("S2.5 opening the same file twice returns the same bytes twice")
  void repeatableReads() throws Exception {
    byte[] data = f().data(NESTED, 4096);
    f().upload("S2.5", NESTED, data);
    assertSameBytes("S2.5 (first read)", NESTED, f().read("S2.5", NESTED), data);
    assertSameBytes("S2.5 (second read)", NESTED, f().read("S2.5", NESTED), data);
  }

  @Test
  @DisplayName("S3.1 opening a name never written throws BackupFileNotFoundException")
  void missingFile() {
    Throwable thrown = catchThrowable(() -> f().destination.open("db/missing.json.gz").close());
    assertThat(thrown)
        .as("S3.1 open of a missing name")
        .isInstanceOf(BackupFileNotFoundException.class);
    assertThat(((BackupFileNotFoundException) thrown).fileName())
        .as("S3.1 BackupFileNotFoundException.fileName()")
        .isEqualTo("db/missing.json.gz");
  }

  @Test
  @DisplayName("S3.2 opening a deleted file throws BackupFileNotFoundException")
  void deletedFileIsMissing() throws Exception {
    f().upload("S3.2", NESTED, f().data(NESTED, 100));
    f().delete("S3.2", NESTED);
    assertThat(catchThrowable(() -> f().destination.open(NESTED).close()))
        .as("S3.2 open of a deleted file")
        .isInstanceOf(BackupFileNotFoundException.class);
  }

  @Test
  @DisplayName("S4.1 a deleted file is no longer listed")
  void deleteRemovesFromListing() throws Exception {
    f().upload("S4.1", NESTED, f().data(NESTED, 100));
    f().delete("S4.1", NESTED);
    assertThat(f().awaitListing("S4.1", "", List::isEmpty))
        .as("S4.1 listing after delete('%s')", NESTED)
        .isEmpty();
  }

  @Test
  @DisplayName("S4.2 deleting twice, or deleting a name never written, does nothing")
  void deleteIsIdempotent() throws Exception {
    f().upload("S4.2", NESTED, f().data(NESTED, 100));
    f().delete("S4.2", NESTED);
    assertThat(catchThrowable(() -> f().destination.delete(NESTED)))
        .as("S4.2 second delete of '%s'", NESTED)
        .isNull();
    assertThat(catchThrowable(() -> f().destination.delete("never/written.json.gz")))
        .as("S4.2 delete of a name never written")
        .isNull();
  }

  @Test
  @DisplayName("S4.3 deleting a file leaves the files next to it intact")
  void deleteKeepsSiblings() throws Exception {
    byte[] kept = f().data("db/chain/2.json.gz", 300);
    f().upload("S4.3", "db/chain/1.json.gz", f().data("db/chain/1.json.gz", 200));
    f().upload("S4.3", "db/chain/2.json.gz", kept);
    f().delete("S4.3", "db/chain/1.json.gz");
    assertThat(Fixture.namesAndSizes(f().awaitListing("S4.3", "", l -> l.size() == 1)))
        .as("S4.3 listing after deleting one of two files")
        .containsExactly("db/chain/2.json.gz=300");
    assertSameBytes("S4.3", "db/chain/2.json.gz", f().read("S4.3", "db/chain/2.json.gz"), kept);
  }

  @Test
  @DisplayName("S5.1 listing returns exactly the files written, with their sizes")
  void listingIsExact() throws Exception {
    List<StoredFile> expected = new ArrayList<>();
    for (String name : List.of("a.json.gz", "b/c.json.gz", NESTED)) {
      int size = 10 + name.length();
      f().upload("S5.1", name, f().data(name, size));
      expected.add(new StoredFile(name, size, "-"));
    }
    expected.sort((a, b) -> a.name().compareTo(b.name()));
    assertThat(Fixture.namesAndSizes(f().awaitListed("S5.1", "", expected)))
        .as("S5.1 list('') as name=size")
        .containsExactlyInAnyOrderElementsOf(Fixture.namesAndSizes(expected));
  }

  @Test
  @DisplayName("S5.2 listing is sorted by name, whatever the upload order")
  void listingIsSorted() throws Exception {
    List<String> names =
        List.of(
            "db/c/000003.json.gz",
            "db/a/000001.json.gz",
            "db/b.json.gz",
            "db/a/000002.json.gz",
            "db/a/000010.json.gz");
    for (String name : names) {
      f().upload("S5.2", name, f().data(name, 5));
    }
    List<String> listed = names(f().awaitListing("S5.2", "", l -> l.size() == names.size()));
    assertThat(listed)
        .as("S5.2 names listed by list('')")
        .containsExactlyElementsOf(names.stream().sorted().toList());
  }

  @Test
  @DisplayName("S5.3 listing filters by prefix, also inside a name segment")
  void listingFiltersByPrefix() throws Exception {
    List<String> names =
        List.of(
            NESTED,
            "db/20261128T150000.000Z/000001.full.json.gz",
            "db/20261129T000000.000Z/000001.full.json.gz",
            "dbx/other.json.gz",
            "d.json.gz");
    for (String name : names) {
      f().upload("S5.3", name, f().data(name, 7));
    }
    f().awaitListing("S5.3", "", l -> l.size() == names.size());
    assertThat(names(f().list("S5.3", "db/20261128")))
        .as("S5.3 list('db/20261128')")
        .containsExactly(NESTED, "db/20261128T150000.000Z/000001.full.json.gz");
    assertThat(names(f().list("S5.3", "db/"))).as("S5.3 list('db/')").hasSize(3);
    assertThat(names(f().list("S5.3", "db"))).as("S5.3 list('db')").hasSize(4);
    assertThat(names(f().list("S5.3", "nothing/"))).as("S5.3 list('nothing/')").isEmpty();
  }

  @Test
  @DisplayName("S5.4 files in nested folders are listed with their full names")
  void nestedNames() throws Exception {
    f().upload("S5.4", NESTED, f().data(NESTED, 64));
    assertThat(Fixture.namesAndSizes(f().awaitListing("S5.4", "", l -> !l.isEmpty())))
        .as("S5.4 list('') after uploading '%s'", NESTED)
        .containsExactly(NESTED + "=64");
  }

  @Test
  @DisplayName("S6.1 an overwrite with a shorter file reads back only the new bytes")
  void overwriteWithShorter() throws Exception {
    f().upload("S6.1", NESTED, f().data("old", 5000));
    byte[] replacement = f().data("new", 100);
    f().upload("S6.1", NESTED, replacement);
    assertSameBytes("S6.1", NESTED, f().read("S6.1", NESTED), replacement);
  }

  @Test
  @DisplayName("S6.2 an overwrite with a longer file reads back only the new bytes")
  void overwriteWithLonger() throws Exception {
    f().upload("S6.2", NESTED, f().data("old", 100));
    byte[] replacement = f().data("new", 5000);
    f().upload("S6.2", NESTED, replacement);
    assertSameBytes("S6.2", NESTED, f().read("S6.2", NESTED), replacement);
  }

  @Test
  @DisplayName("S6.3 an overwritten file is listed once, with its new size")
  void overwriteListedOnce() throws Exception {
    f().upload("S6.3", NESTED, f().data("old", 100));
    f().upload("S6.3", NESTED, f().data("new", 321));
    List<StoredFile> expected = List.of(new StoredFile(NESTED, 321, "-"));
    assertThat(Fixture.namesAndSizes(f().awaitListed("S6.3", "", expected)))
        .as("S6.3 list('') after an overwrite")
        .containsExactly(NESTED + "=321");
  }

  @ParameterizedTest(name = "S7.1 round trips the name [{0}]")
  @DisplayName("S7.1 names with spaces, + % ' # ? & and non-ASCII characters round trip")
  @ValueSource(
      strings = {
        "with space.json.gz",
        "plus+sign.json.gz",
        "per%25cent%.json.gz",
        "caf\u00e9.json.gz",
        "\u65e5\u672c/\u30c7\u30fc\u30bf.json.gz",
        "o'clock.json.gz",
        "db/a b+c%20d'\u00e9\u65e5\u672c/000001.incremental.json.gz",
        "cafe\u0301 decomposed.json.gz",
        "a#b?c&d=e~f!g*h(i)j;k,l@m$n[o]p.json.gz"
      })
  void specialNamesRoundTrip(String name) throws Exception {
    roundTrip("S7.1", name, 33);
  }

  @ParameterizedTest(name = "S7.2 lists the name [{0}] exactly")
  @DisplayName("S7.2 names with spaces, + % ' # ? & and non-ASCII characters are listed exactly")
  @ValueSource(
      strings = {
        "with space.json.gz",
        "plus+sign.json.gz",
        "per%25cent%.json.gz",
        "caf\u00e9.json.gz",
        "\u65e5\u672c/\u30c7\u30fc\u30bf.json.gz",
        "o'clock.json.gz",
        "db/a b+c%20d'\u00e9\u65e5\u672c/000001.incremental.json.gz",
        "cafe\u0301 decomposed.json.gz",
        "a#b?c&d=e~f!g*h(i)j;k,l@m$n[o]p.json.gz"
      })
  void specialNamesList(String name) throws Exception {
    f().upload("S7.2", name, f().data(name, 33));
    assertThat(Fixture.namesAndSizes(f().awaitListing("S7.2", "", l -> !l.isEmpty())))
        .as("S7.2 list('')")
        .containsExactly(name + "=33");
    assertThat(names(f().list("S7.2", name))).as("S7.2 list('%s')", name).containsExactly(name);
  }

  @Test
  @DisplayName("S8.1 a stream read by single bytes, odd chunks at offsets and skips is exact")
  void streamContract() throws Exception {
    byte[] data = f().data(NESTED, 70_000);
    f().upload("S8.1", NESTED, data);
    byte[] read = new byte[data.length];
    try (InputStream in = f().destination.open(NESTED)) {
      readInPieces(in, data, read);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("S8.1: open('" + NESTED + "') and reading it failed: " + e, e);
    }
    assertSameBytes("S8.1", NESTED, read, data);
  }

  /** S8.1's reads: 300 single bytes, a skip of 1000, then chunks of odd sizes at an offset. */
  private static void readInPieces(InputStream in, byte[] data, byte[] read) throws IOException {
    int at = 0;
    for (; at < 300; at++) {
      int b = in.read();
      assertThat(b)
          .withFailMessage(
              "S8.1: read() of byte %d of '%s' returned %d, expected %d: read() returns 0 to"
                  + " 255 (b & 0xFF), and -1 only at the end",
              at, NESTED, b, data[at] & 0xFF)
          .isEqualTo(data[at] & 0xFF);
      read[at] = (byte) b;
    }
    long skipped = 0;
    while (skipped < 1000) {
      long n = in.skip(1000 - skipped);
      if (n <= 0) {
        int b = in.read();
        assertThat(b).as("S8.1 read() after skip returned 0, at byte %d", at).isNotNegative();
        n = 1;
      }
      skipped += n;
    }
    System.arraycopy(data, at, read, at, 1000); // skipped bytes are not compared
    at += 1000;
    int[] chunks = {1, 7, 8191, 3, 65_537};
    for (int c = 0; at < data.length; c++) {
      int len = Math.min(chunks[c % chunks.length], data.length - at);
      byte[] buffer = new byte[len + 11];
      int n = in.read(buffer, 5, len);
      assertThat(n)
          .withFailMessage(
              "S8.1: read(buf, 5, len) returned %d at byte %d of %d", n, at, data.length)
          .isPositive();
      System.arraycopy(buffer, 5, read, at, n);
      at += n;
    }
    assertThat(in.read()).as("S8.1 read() at the end").isEqualTo(-1);
    assertThat(in.read(new byte[10], 0, 10)).as("S8.1 read(buf) after the end").isEqualTo(-1);
  }

  private static List<String> names(List<StoredFile> files) {
    return files.stream().map(StoredFile::name).toList();
  }
}
