package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.DestinationCapabilities;

/**
 * K: declared capabilities are honest. A destination that lists or reads immediately must do so;
 * one that does not must still list and read within the implementer's bounds. Rules that do not
 * apply to the declared capabilities are skipped, saying so.
 */
abstract class ColdStorageRules extends RuleGroup {
  /** Size limits above this are not tested: the kit would write too much. */
  static final long LARGEST_OVERSIZE_TEST = 64L * 1024 * 1024;

  private static final String NAME = StorageRules.NESTED;

  ColdStorageRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("K1.1 with immediate listing, a file is listed as soon as its upload returns")
  void immediateListing() throws Exception {
    assumeTrue(
        f().capabilities.immediateListing(),
        "K1.1 skipped: destination declares no"
            + " immediate listing; implement capabilities().immediateListing() to run it");
    f().upload("K1.1", NAME, f().data(NAME, 10));
    assertThat(Fixture.namesAndSizes(f().list("K1.1", "")))
        .as("K1.1 the first list('') after the upload returned")
        .containsExactly(NAME + "=10");
  }

  @Test
  @DisplayName("K1.2 with immediate reads, a file opens as soon as its upload returns")
  void immediateReads() throws Exception {
    assumeTrue(
        f().capabilities.immediateReads(),
        "K1.2 skipped: destination declares no"
            + " immediate reads; implement capabilities().immediateReads() to run it");
    byte[] data = f().data(NAME, 10);
    f().upload("K1.2", NAME, data);
    assertSameBytes("K1.2", NAME, f().read("K1.2", NAME), data);
  }

  @Test
  @DisplayName("K2.1 without immediate listing, a file is listed within maxListingWait()")
  void boundedListingWait() throws Exception {
    assumeFalse(
        f().capabilities.immediateListing(),
        "K2.1 skipped: applies only to destinations"
            + " that declare immediateListing=false; this one lists immediately (checked by K1.1)");
    f().upload("K2.1", NAME, f().data(NAME, 10));
    long start = System.nanoTime();
    List<String> listed = Fixture.namesAndSizes(f().awaitListing("K2.1", "", l -> !l.isEmpty()));
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertThat(listed)
        .as("K2.1 list('') after waiting %s (maxListingWait %s)", waited, kit().maxListingWait())
        .containsExactly(NAME + "=10");
  }

  @Test
  @DisplayName("K2.2 without immediate reads, open returns the bytes within maxReadWait()")
  void boundedReadWait() throws Exception {
    assumeFalse(
        f().capabilities.immediateReads(),
        "K2.2 skipped: applies only to destinations"
            + " that declare immediateReads=false; this one reads immediately (checked by K1.2)");
    byte[] data = f().data(NAME, 10);
    f().upload("K2.2", NAME, data);
    long start = System.nanoTime();
    byte[] read = f().read("K2.2", NAME);
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertSameBytes("K2.2", NAME, read, data);
    assertThat(waited)
        .as("K2.2 time open('%s') took", NAME)
        .isLessThanOrEqualTo(kit().maxReadWait());
  }

  @Test
  @DisplayName("K3.1 capabilities are declared and do not change")
  void stableCapabilities() {
    DestinationCapabilities first = f().destination.capabilities();
    assertThat(first).as("K3.1 capabilities()").isNotNull();
    assertThat(f().destination.capabilities())
        .as("K3.1 capabilities() asked twice")
        .isEqualTo(first);
  }

  @Test
  @DisplayName("K3.2 a file larger than maxFileSize is refused and nothing is stored")
  void oversizeRefused() throws Exception {
    long max = f().capabilities.maxFileSize();
    assumeTrue(
        max < LARGEST_OVERSIZE_TEST,
        "K3.2 skipped: destination declares no size limit"
            + " below "
            + LARGEST_OVERSIZE_TEST
            + " bytes (maxFileSize="
            + max
            + ")");
    Path big = f().scratch().resolve("oversize.bin");
    try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(max + 1); // sparse where the filesystem allows it
    }
    Throwable thrown = catchThrowable(() -> f().destination.upload(NAME, big, Fixture.METADATA));
    assertThat(thrown)
        .as("K3.2 upload of %d bytes with maxFileSize %d", max + 1, max)
        .isInstanceOf(IOException.class);
    assertThat(f().awaitListing("K3.2", "", List::isEmpty))
        .as("K3.2 list('') after a refused upload")
        .isEmpty();
    Files.deleteIfExists(big);
  }
}
