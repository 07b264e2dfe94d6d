package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.BackupFileNotFoundException;

/**
 * A: an upload whose source cannot be read throws and leaves nothing behind. Two portable failing
 * sources: a file that does not exist, and a folder (on most systems it opens and the first read
 * fails, so the upload has already started when it fails).
 */
abstract class AtomicityRules extends RuleGroup {
  private static final String NAME = StorageRules.NESTED;

  AtomicityRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  private Throwable failingUpload(Path source) {
    return catchThrowable(() -> f().destination.upload(NAME, source, Fixture.METADATA));
  }

  private Path missingSource() {
    return f().scratch().resolve("deleted-before-upload.bin");
  }

  private Path folderSource() throws IOException {
    Path folder = Files.createDirectories(f().scratch().resolve("a-folder"));
    Files.write(folder.resolve("inside.bin"), new byte[1024]);
    return folder;
  }

  private void assertNothingVisible(String rule) throws Exception {
    assertThat(catchThrowable(() -> f().destination.open(NAME).close()))
        .as("%s open('%s') after a failed upload", rule, NAME)
        .isInstanceOf(BackupFileNotFoundException.class);
    assertThat(Fixture.namesAndSizes(f().awaitListing(rule, "", List::isEmpty)))
        .as("%s list('') after a failed upload (no partial or temporary file may show)", rule)
        .isEmpty();
  }

  @Test
  @DisplayName("A1.1 an upload from a missing source throws an IOException")
  void missingSourceThrows() {
    assertThat(failingUpload(missingSource()))
        .as("A1.1 upload from a missing source")
        .isInstanceOf(IOException.class);
  }

  @Test
  @DisplayName("A1.2 an upload from a missing source leaves nothing visible")
  void missingSourceLeavesNothing() throws Exception {
    failingUpload(missingSource());
    assertNothingVisible("A1.2");
  }

  @Test
  @DisplayName("A1.3 an upload whose source fails while read throws an IOException")
  void unreadableSourceThrows() throws Exception {
    assertThat(failingUpload(folderSource()))
        .as("A1.3 upload from a folder")
        .isInstanceOf(IOException.class);
  }

  @Test
  @DisplayName("A1.4 an upload whose source fails while read leaves nothing visible")
  void unreadableSourceLeavesNothing() throws Exception {
    failingUpload(folderSource());
    assertNothingVisible("A1.4");
  }

  @Test
  @DisplayName("A1.5 a failed upload does not replace the previous version of the name")
  void failedUploadKeepsPreviousVersion() throws Exception {
    byte[] previous = f().data("previous", 2048);
    f().upload("A1.5", NAME, previous);
    failingUpload(missingSource());
    failingUpload(folderSource());
    assertSameBytes("A1.5", NAME, f().read("A1.5", NAME), previous);
    assertThat(Fixture.namesAndSizes(f().awaitListing("A1.5", "", l -> l.size() == 1)))
        .as("A1.5 list('') after failed uploads over an existing file")
        .containsExactly(NAME + "=2048");
  }
}
