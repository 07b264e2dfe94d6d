package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
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

  /** Runs the tasks on a small pool; the first failure fails {@code rule}. */
  private <T> List<T> inParallel(String rule, List<Callable<T>> tasks) throws Exception {
    // Fewer threads than tasks, so that calls overlap and threads are reused.
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, tasks.size() / 2));
    try {
      List<T> results = new ArrayList<>();
      for (Future<T> future : pool.invokeAll(tasks)) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          throw new AssertionError(rule + ": a parallel call failed: " + e.getCause(), e);
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
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
    assertThat(contents.stream().anyMatch(c -> java.util.Arrays.equals(c, read)))
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
}
