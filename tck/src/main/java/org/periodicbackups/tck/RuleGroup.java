package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The base of the rule groups: access to the running test's {@link Fixture}, shared checks. */
abstract class RuleGroup {
  private final DestinationCompatibilityKit kit;

  RuleGroup(DestinationCompatibilityKit kit) {
    this.kit = kit;
  }

  final Fixture f() {
    return kit.fixture();
  }

  final DestinationCompatibilityKit kit() {
    return kit;
  }

  /**
   * Fails rule {@code rule} unless {@code actual} equals {@code expected}; the message gives sizes
   * and the first differing byte instead of dumping megabytes.
   */
  final void assertSameBytes(String rule, String name, byte[] actual, byte[] expected) {
    int mismatch = Arrays.mismatch(actual, expected);
    assertThat(mismatch)
        .withFailMessage(
            "%s: '%s' read %d bytes, expected %d; first difference at byte %d"
                + " (content seed %d)",
            rule, name, actual.length, expected.length, mismatch, kit.seed())
        .isEqualTo(-1);
  }

  /** Runs the tasks on a small pool; the first failure fails {@code rule}. */
  final <T> List<T> inParallel(String rule, List<Callable<T>> tasks) throws Exception {
    // Fewer threads than tasks, so that calls overlap and threads are reused.
    return inParallel(rule, tasks, Math.max(2, Math.min(kit.parallelUploads(), tasks.size() / 2)));
  }

  /** Runs the tasks on {@code threads} threads; the first failure fails {@code rule}. */
  final <T> List<T> inParallel(String rule, List<Callable<T>> tasks, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
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
}
