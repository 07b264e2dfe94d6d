package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.StoredFile;

/** C: one destination used from several threads at once, as the engine and restore do. */
abstract class ConcurrencyRules extends RuleGroup {
  private static final int SIZE = 64 * 1024;

  ConcurrencyRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  private static String nameOf(int i) {
    return String.format("db/20261128T144300.000Z/%06d.incremental.json.gz", i + 1);
  }

  private List<byte[]> uploadDistinctInParallel(String rule) throws Exception {
    int n = kit().parallelUploads();
    List<byte[]> contents = new ArrayList<>();
    List<Callable<StoredFile>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = nameOf(i);
      byte[] data = f().data(name, SIZE + i);
      contents.add(data);
      tasks.add(() -> f().upload(rule, name, data));
    }
    inParallel(rule, tasks);
    return contents;
  }

  @Test
  @DisplayName("C1.1 parallel uploads of distinct files all read back exactly")
  void parallelUploadsReadBack() throws Exception {
    List<byte[]> contents = uploadDistinctInParallel("C1.1");
    for (int i = 0; i < contents.size(); i++) {
      assertSameBytes("C1.1", nameOf(i), f().read("C1.1", nameOf(i)), contents.get(i));
    }
  }

  @Test
  @DisplayName("C1.2 parallel uploads of distinct files are all listed, with their sizes")
  void parallelUploadsListed() throws Exception {
    List<byte[]> contents = uploadDistinctInParallel("C1.2");
    List<StoredFile> expected = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      expected.add(new StoredFile(nameOf(i), contents.get(i).length, "-"));
    }
    assertThat(Fixture.namesAndSizes(f().awaitListed("C1.2", "", expected)))
        .as("C1.2 list('') after %d parallel uploads", contents.size())
        .containsExactlyElementsOf(Fixture.namesAndSizes(expected));
  }

  @Test
  @DisplayName("C1.3 parallel uploads to one name leave one whole version")
  void parallelOverwritesLeaveOneVersion() throws Exception {
    String name = nameOf(0);
    List<byte[]> contents = new ArrayList<>();
    List<Callable<StoredFile>> tasks = new ArrayList<>();
    for (int i = 0; i < kit().parallelUploads(); i++) {
      byte[] data = f().data("version-" + i, SIZE + i);
      contents.add(data);
      tasks.add(() -> f().upload("C1.3", name, data));
    }
    inParallel("C1.3", tasks);
    byte[] read = f().read("C1.3", name);
    assertThat(contents.stream().anyMatch(c -> Arrays.equals(c, read)))
        .withFailMessage(
            "C1.3 '%s' read %d bytes that are none of the %d uploaded versions",
            name, read.length, contents.size())
        .isTrue();
    assertThat(Fixture.namesAndSizes(f().awaitListing("C1.3", "", l -> l.size() == 1)))
        .as("C1.3 list('') after parallel uploads to one name")
        .containsExactly(name + "=" + read.length);
  }

  @Test
  @DisplayName("C1.4 parallel reads of one file all return its bytes")
  void parallelReads() throws Exception {
    String name = nameOf(0);
    byte[] data = f().data(name, SIZE);
    f().upload("C1.4", name, data);
    List<Callable<byte[]>> tasks = new ArrayList<>();
    for (int i = 0; i < kit().parallelUploads(); i++) {
      tasks.add(() -> f().read("C1.4", name));
    }
    for (byte[] read : inParallel("C1.4", tasks)) {
      assertSameBytes("C1.4", name, read, data);
    }
  }

  @Test
  @DisplayName("C1.5 reads during an upload find no file or a whole version, never part of one")
  void readsDuringAnUploadSeeWholeVersions() throws Exception {
    assumeTrue(
        f().capabilities.immediateReads(),
        "C1.5 skipped: destination declares no immediate reads, so a read cannot overlap an"
            + " upload; implement capabilities().immediateReads() to run it");
    String name = nameOf(0);
    long size =
        Math.min(
            4L * 1024 * 1024, Math.min(kit().largestFileToTest(), f().capabilities.maxFileSize()));
    byte[] first = f().data("first", size);
    byte[] second = f().data("second", size - 1);
    ExecutorService uploads = Executors.newSingleThreadExecutor();
    try {
      for (byte[] version : List.of(first, second)) {
        Future<StoredFile> upload = uploads.submit(() -> f().upload("C1.5", name, version));
        int reads = 0;
        do {
          byte[] read = readIfPresent(name);
          reads++;
          boolean whole =
              read == null
                  ? version == first
                  : Arrays.equals(read, version)
                      || (version == second && Arrays.equals(read, first));
          assertThat(whole)
              .withFailMessage(
                  "C1.5: read %d of '%s' during the upload of %d bytes%s returned %s: a file must"
                      + " appear whole (write to a temporary name and rename, or use the store's"
                      + " atomic put)",
                  reads,
                  name,
                  version.length,
                  version == second ? " over a version of " + first.length : "",
                  read == null ? "no file" : read.length + " bytes that are no whole version")
              .isTrue();
        } while (!upload.isDone());
        upload.get();
        assertSameBytes("C1.5 (after the upload)", name, f().read("C1.5", name), version);
      }
    } finally {
      uploads.shutdownNow();
    }
  }

  /** The bytes of {@code name}, or null while it does not exist. */
  private byte[] readIfPresent(String name) {
    try (InputStream in = f().destination.open(name)) {
      return in.readAllBytes();
    } catch (BackupFileNotFoundException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("C1.5: open('" + name + "') during its upload failed: " + e, e);
    }
  }
}
