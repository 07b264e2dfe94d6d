package org.periodicbackups.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.source.ContentDigest;

/**
 * An analysis of a real destination ({@code pbk tck --analyze}): uploads blobs of random sizes on
 * several threads, reads them while they are being uploaded and overwritten, lists, reads and
 * deletes them, and reports what it checked, the throughput it saw and every anomaly with the kit
 * rule it breaks. It writes only under a prefix of its own, refuses a prefix that already holds
 * files, and removes everything it wrote. Memory does not grow with the blob sizes: contents are
 * generated from a seed and compared by SHA-256.
 */
public final class RepositoryAnalysis {

  /** What to analyse; see {@code pbk tck --help}. */
  public record Options(
      int blobs,
      long maxSize,
      int concurrency,
      boolean earlyReads,
      boolean overwrites,
      String prefix,
      long seed,
      Duration listingWait) {
    /** Checks the values, naming the option that is wrong. */
    public Options {
      if (blobs < 1) {
        throw new ConfigurationException("--blobs must be at least 1, got " + blobs);
      }
      if (maxSize < 1) {
        throw new ConfigurationException("--max-size must be at least 1 byte, got " + maxSize);
      }
      if (concurrency < 1) {
        throw new ConfigurationException("--concurrency must be at least 1, got " + concurrency);
      }
      if (prefix == null || prefix.isBlank() || !StoredNames.isSafe(prefix + "/x")) {
        throw new ConfigurationException(
            "--prefix '"
                + prefix
                + "' is not a safe relative name (letters, digits, '-', '_', '.', '/')");
      }
      prefix = prefix.replaceAll("/+$", "");
    }
  }

  /** One thing the destination did wrong: the kit rule it breaks, the file, what was seen. */
  public record Anomaly(String rule, String name, String message) {
    @Override
    public String toString() {
      return rule + " " + name + ": " + message;
    }
  }

  /** What one analysis checked and found. */
  public static final class Report {
    private final List<Anomaly> anomalies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong earlyReads = new AtomicLong();
    private final AtomicLong earlyNotFound = new AtomicLong();
    private final AtomicLong overwriteReads = new AtomicLong();
    private final List<String> lines = new ArrayList<>();

    /** Every anomaly, in the order found. */
    public List<Anomaly> anomalies() {
      synchronized (anomalies) {
        return List.copyOf(anomalies);
      }
    }

    /** Whether the destination did everything right. */
    public boolean clean() {
      return anomalies.isEmpty();
    }

    /** The report as printed: one line per phase, then one line per anomaly. */
    public void print(PrintStream out) {
      lines.forEach(out::println);
      List<Anomaly> found = anomalies();
      if (found.isEmpty()) {
        out.println("  anomalies    none");
      } else {
        out.println("  anomalies    " + found.size());
        found.forEach(a -> out.println("  ANOMALY " + a));
      }
    }

    void anomaly(String rule, String name, String message) {
      anomalies.add(new Anomaly(rule, name, message));
    }

    void line(String phase, String text) {
      lines.add(String.format(Locale.ROOT, "  %-12s %s", phase, text));
    }
  }

  /** The size, SHA-256 and generation of one uploaded version. */
  private record Version(long size, byte[] sha256) {}

  private final BackupDestination destination;
  private final Options options;
  private final Report report = new Report();
  private final Map<String, Version> stored = new ConcurrentHashMap<>();
  private final Map<String, Version> pending = new ConcurrentHashMap<>();
  private final Set<String> written = ConcurrentHashMap.newKeySet();
  private final Path scratch;

  private RepositoryAnalysis(BackupDestination destination, Options options, Path scratch) {
    this.destination = destination;
    this.options = options;
    this.scratch = scratch;
  }

  /**
   * Runs the analysis against {@code destination}.
   *
   * @throws ConfigurationException if the prefix already holds files, or the destination cannot be
   *     analysed (it declares no immediate reads)
   */
  public static Report run(BackupDestination destination, Options options) throws IOException {
    if (!destination.capabilities().immediateReads()) {
      throw new ConfigurationException(
          "the "
              + destination.providerName()
              + " destination declares no immediate reads (cold storage): an analysis would pay"
              + " one retrieval per blob and wait hours; run 'pbk tck' instead, which skips what"
              + " cold storage cannot do");
    }
    List<StoredFile> already = destination.list(options.prefix() + "/");
    if (!already.isEmpty()) {
      throw new ConfigurationException(
          "the analysis prefix '"
              + options.prefix()
              + "/' of "
              + destination.description()
              + " already holds "
              + already.size()
              + " file(s), such as "
              + already.get(0).name()
              + "; the analysis writes and deletes only under a prefix of its own: choose an"
              + " empty one with --prefix");
    }
    Path scratch = Files.createTempDirectory("pbk-analysis-");
    RepositoryAnalysis analysis = new RepositoryAnalysis(destination, options, scratch);
    try {
      analysis.analyse();
    } finally {
      analysis.cleanUp();
      Fixture.deleteRecursively(scratch);
    }
    return analysis.report;
  }

  private void analyse() throws IOException {
    report.line(
        "destination",
        destination.providerName()
            + " "
            + destination.description()
            + ", under "
            + options.prefix()
            + "/, seed "
            + options.seed());
    List<String> names = new ArrayList<>();
    Map<String, Long> sizes = new HashMap<>();
    SplittableRandom random = new SplittableRandom(options.seed());
    long largest = Math.min(options.maxSize(), destination.capabilities().maxFileSize());
    for (int i = 0; i < options.blobs(); i++) {
      String name = options.prefix() + "/blob-" + i; // blob-1 and blob-10: P1.x names
      names.add(name);
      sizes.put(name, sizeOf(i, largest, random));
    }
    ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
    ExecutorService readers = Executors.newFixedThreadPool(Math.max(1, options.concurrency()));
    try {
      upload(pool, readers, names, sizes);
      listAll(names);
      readAll(pool, names);
      if (options.overwrites()) {
        overwrite(pool, readers, names);
      } else {
        report.line("overwrites", "not checked (--no-overwrites)");
      }
      deleteAll(pool, names);
    } finally {
      pool.shutdownNow();
      readers.shutdownNow();
    }
  }

  /** Sizes: the largest, then 0 and 1 byte, then log-uniform between 1 byte and the largest. */
  private static long sizeOf(int i, long largest, SplittableRandom random) {
    return switch (i) {
      case 0 -> largest;
      case 1 -> 0;
      case 2 -> Math.min(1, largest);
      default -> Math.max(1, (long) Math.pow(largest, random.nextDouble()));
    };
  }

  private void upload(
      ExecutorService pool, ExecutorService readers, List<String> names, Map<String, Long> sizes)
      throws IOException {
    long start = System.nanoTime();
    AtomicLong bytes = new AtomicLong();
    List<Future<?>> early = Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> uploads = new ArrayList<>();
    for (String name : names) {
      uploads.add(
          pool.submit(
              () -> {
                AtomicBoolean done = new AtomicBoolean();
                if (options.earlyReads()) {
                  early.add(readers.submit(() -> readWhile("C1.5", name, done)));
                }
                try {
                  bytes.addAndGet(put(name, sizes.get(name), 1));
                } finally {
                  done.set(true);
                }
                return null;
              }));
    }
    awaitAll(uploads);
    double seconds = seconds(start);
    awaitAll(early);
    report.line(
        "uploads",
        String.format(
            Locale.ROOT,
            "%d blobs, %s in %.1f s (%s), concurrency %d, largest %s",
            names.size(),
            mib(bytes.get()),
            seconds,
            rate(bytes.get(), seconds),
            options.concurrency(),
            mib(Collections.max(sizes.values()))));
    report.line(
        "early reads",
        options.earlyReads()
            ? String.format(
                Locale.ROOT,
                "%d reads during the uploads: %d found no file yet, %d a whole version",
                report.earlyReads.get(),
                report.earlyNotFound.get(),
                report.earlyReads.get() - report.earlyNotFound.get())
            : "not checked (--no-early-reads)");
  }

  /**
   * Uploads generation {@code generation} of {@code name}, recording its size and SHA-256 before
   * the upload starts, so that a concurrent reader can tell a whole version from a part of one.
   */
  private long put(String name, long size, int generation) throws IOException {
    Path file = Files.createTempFile(scratch, "blob-", ".bin");
    try {
      MessageDigest sha256 = ContentDigest.sha256();
      SplittableRandom random =
          new SplittableRandom(options.seed() * 31 + name.hashCode() + generation);
      byte[] chunk = new byte[64 * 1024];
      try (OutputStream out = Files.newOutputStream(file)) {
        for (long left = size; left > 0; ) {
          int n = (int) Math.min(chunk.length, left);
          random.nextBytes(chunk);
          out.write(chunk, 0, n);
          sha256.update(chunk, 0, n);
          left -= n;
        }
      }
      Version version = new Version(size, sha256.digest());
      pending.put(name, version);
      written.add(name);
      StoredFile result = destination.upload(name, file, Fixture.METADATA);
      stored.put(name, version);
      pending.remove(name);
      if (result.size() != size || !result.name().equals(name)) {
        report.anomaly(
            "S1.1",
            name,
            "upload returned "
                + result.name()
                + " of "
                + result.size()
                + " bytes, uploaded "
                + size);
      }
      return size;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Reads {@code name} again and again until {@code done}: every read must find no file (only when
   * no earlier version exists) or one whole version, the old or the one being uploaded.
   */
  private Void readWhile(String rule, String name, AtomicBoolean done)
      throws IOException, InterruptedException {
    for (int reads = 0; !done.get() && reads < 200; reads++) {
      Version before = stored.get(name);
      byte[] seen;
      long size;
      try (InputStream in = destination.open(name)) {
        MessageDigest sha256 = ContentDigest.sha256();
        size = copy(in, sha256);
        seen = sha256.digest();
      } catch (BackupFileNotFoundException e) {
        (rule.equals("C1.5") ? report.earlyReads : report.overwriteReads).incrementAndGet();
        if (before != null) {
          report.anomaly(
              rule, name, "not found while a new version was uploaded over a stored one");
        } else {
          report.earlyNotFound.incrementAndGet();
        }
        Thread.sleep(2);
        continue;
      }
      (rule.equals("C1.5") ? report.earlyReads : report.overwriteReads).incrementAndGet();
      Version now = stored.get(name);
      Version coming = pending.get(name);
      if (!matches(seen, size, before)
          && !matches(seen, size, now)
          && !matches(seen, size, coming)) {
        report.anomaly(
            rule,
            name,
            "a read during an upload returned "
                + size
                + " bytes that are no whole version (stored "
                + (now == null ? "none" : now.size() + " bytes")
                + ", being uploaded "
                + (coming == null ? "none" : coming.size() + " bytes")
                + ")");
        return null;
      }
      Thread.sleep(2);
    }
    return null;
  }

  private static boolean matches(byte[] sha256, long size, Version version) {
    return version != null && version.size() == size && Arrays.equals(version.sha256(), sha256);
  }

  private void listAll(List<String> names) throws IOException {
    long start = System.nanoTime();
    List<StoredFile> listed = awaitListing(options.prefix() + "/", l -> l.size() >= names.size());
    double listing = seconds(start);
    Map<String, Integer> seen = new HashMap<>();
    for (StoredFile file : listed) {
      seen.merge(file.name(), 1, Integer::sum);
      Version version = stored.get(file.name());
      if (version == null) {
        report.anomaly("S5.1", file.name(), "listed but never uploaded under the prefix");
      } else if (version.size() != file.size()) {
        report.anomaly(
            "S5.1",
            file.name(),
            "listed with " + file.size() + " bytes, uploaded " + version.size());
      }
    }
    String lostRule = names.size() > 1000 ? "L1.1" : "S5.1";
    long missing = names.stream().filter(n -> !seen.containsKey(n)).count();
    names.stream()
        .filter(n -> !seen.containsKey(n))
        .limit(5)
        .forEach(n -> report.anomaly(lostRule, n, "uploaded but not listed"));
    if (missing > 5) {
      report.anomaly(lostRule, options.prefix() + "/", (missing - 5) + " more files not listed");
    }
    seen.forEach(
        (name, times) -> {
          if (times > 1) {
            report.anomaly("L1.1", name, "listed " + times + " times");
          }
        });
    List<String> order = listed.stream().map(StoredFile::name).toList();
    List<String> sorted = order.stream().sorted().toList();
    if (!order.equals(sorted)) {
      int at = 0;
      while (order.get(at).equals(sorted.get(at))) {
        at++;
      }
      report.anomaly(
          "S5.2",
          order.get(at),
          "listing not sorted by name: listed at position "
              + at
              + " where "
              + sorted.get(at)
              + " belongs");
    }
    String prefixed = options.prefix() + "/blob-1";
    List<String> wanted = names.stream().filter(n -> n.startsWith(prefixed)).sorted().toList();
    long prefixStart = System.nanoTime();
    List<String> got = destination.list(prefixed).stream().map(StoredFile::name).toList();
    double prefixListing = seconds(prefixStart);
    if (!got.stream().sorted().toList().equals(wanted)) {
      report.anomaly(
          "P1.4",
          prefixed,
          "list('" + prefixed + "') returned " + got.size() + " names, expected " + wanted.size());
    }
    report.line(
        "listings",
        String.format(
            Locale.ROOT,
            "%d files in %.0f ms; list('…/blob-1'): %d files in %.0f ms",
            listed.size(),
            listing * 1000,
            got.size(),
            prefixListing * 1000));
  }

  private List<StoredFile> awaitListing(String prefix, Predicate<List<StoredFile>> done)
      throws IOException {
    long deadline = System.nanoTime() + options.listingWait().toNanos();
    while (true) {
      List<StoredFile> listed = destination.list(prefix);
      if (done.test(listed)
          || destination.capabilities().immediateListing()
          || System.nanoTime() > deadline) {
        return listed;
      }
      sleep(200);
    }
  }

  private void readAll(ExecutorService pool, List<String> names) throws IOException {
    long start = System.nanoTime();
    AtomicLong bytes = new AtomicLong();
    List<Future<?>> reads = new ArrayList<>();
    for (String name : names) {
      reads.add(pool.submit(() -> bytes.addAndGet(check("S2.4", name))));
    }
    awaitAll(reads);
    double seconds = seconds(start);
    report.line(
        "reads",
        String.format(
            Locale.ROOT,
            "%d blobs, %s in %.1f s (%s)",
            names.size(),
            mib(bytes.get()),
            seconds,
            rate(bytes.get(), seconds)));
  }

  /** Reads {@code name} once and compares it with the version stored last; returns its bytes. */
  private long check(String rule, String name) throws IOException {
    Version version = stored.get(name);
    try (InputStream in = destination.open(name)) {
      MessageDigest sha256 = ContentDigest.sha256();
      long size = copy(in, sha256);
      if (!matches(sha256.digest(), size, version)) {
        report.anomaly(
            rule,
            name,
            "read "
                + size
                + " bytes that differ from the "
                + version.size()
                + " bytes uploaded last (SHA-256 compared)");
      }
      return size;
    } catch (BackupFileNotFoundException e) {
      report.anomaly(
          rule.equals("S2.4") ? "K1.2" : rule, name, "not found after its upload returned");
      return 0;
    }
  }

  /** Overwrites a fifth of the blobs with a new size while a reader reads each one. */
  private void overwrite(ExecutorService pool, ExecutorService readers, List<String> names)
      throws IOException {
    List<String> chosen = new ArrayList<>();
    Map<String, Long> sizes = new HashMap<>();
    Map<String, Boolean> shorter = new HashMap<>();
    long largest = Math.min(options.maxSize(), destination.capabilities().maxFileSize());
    for (int i = 0; i < names.size(); i += 5) {
      chosen.add(names.get(i));
      long old = stored.get(names.get(i)).size();
      long size = Math.min(largest, i % 10 == 0 ? old / 2 : old * 2 + 1);
      sizes.put(names.get(i), size);
      shorter.put(names.get(i), size < old);
    }
    List<Future<?>> readsDuring = Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> uploads = new ArrayList<>();
    for (String name : chosen) {
      uploads.add(
          pool.submit(
              () -> {
                AtomicBoolean done = new AtomicBoolean();
                readsDuring.add(readers.submit(() -> readWhile("C1.3", name, done)));
                try {
                  put(name, sizes.get(name), 2);
                } finally {
                  done.set(true);
                }
                return null;
              }));
    }
    awaitAll(uploads);
    awaitAll(readsDuring);
    for (String name : chosen) {
      check(shorter.get(name) ? "S6.1" : "S6.2", name);
    }
    Map<String, Long> listed = new HashMap<>();
    for (StoredFile file :
        awaitListing(
            options.prefix() + "/",
            l -> l.stream().allMatch(f -> f.size() == stored.get(f.name()).size()))) {
      if (listed.put(file.name(), file.size()) != null) {
        report.anomaly("S6.3", file.name(), "listed twice after an overwrite");
      }
    }
    for (String name : chosen) {
      Long size = listed.get(name);
      if (size == null || size != stored.get(name).size()) {
        report.anomaly(
            "S6.3",
            name,
            (size == null ? "not listed" : "listed with " + size + " bytes")
                + " after an overwrite with "
                + stored.get(name).size());
      }
    }
    report.line(
        "overwrites",
        String.format(
            Locale.ROOT,
            "%d blobs overwritten with a new size, %d reads during the overwrites",
            chosen.size(),
            report.overwriteReads.get()));
  }

  private void deleteAll(ExecutorService pool, List<String> names) throws IOException {
    long start = System.nanoTime();
    List<Future<?>> deletes = new ArrayList<>();
    for (String name : names) {
      deletes.add(
          pool.submit(
              () -> {
                destination.delete(name);
                return null;
              }));
    }
    awaitAll(deletes);
    double seconds = seconds(start);
    List<StoredFile> left = awaitListing(options.prefix() + "/", List::isEmpty);
    left.stream()
        .limit(5)
        .forEach(f -> report.anomaly("S4.1", f.name(), "still listed after its delete returned"));
    String sample = names.get(names.size() / 2);
    try (InputStream in = destination.open(sample)) {
      report.anomaly("S3.2", sample, "opens after its delete returned");
    } catch (BackupFileNotFoundException expected) {
      // S3.2 holds
    }
    try {
      destination.delete(sample);
    } catch (IOException e) {
      report.anomaly("S4.2", sample, "deleting a deleted file failed: " + e.getMessage());
    }
    report.line(
        "deletes",
        String.format(
            Locale.ROOT,
            "%d blobs in %.1f s; %d still listed after",
            names.size(),
            seconds,
            left.size()));
  }

  /** Deletes every name written and everything listed under the prefix, whatever happened. */
  private void cleanUp() {
    Set<String> names = new HashSet<>(written);
    try {
      destination.list(options.prefix() + "/").forEach(f -> names.add(f.name()));
    } catch (IOException | RuntimeException e) {
      report.anomaly("S5.1", options.prefix() + "/", "listing for the clean-up failed: " + e);
    }
    int failed = 0;
    for (String name : names) {
      try {
        destination.delete(name);
      } catch (IOException | RuntimeException e) {
        failed++;
      }
    }
    int left;
    try {
      left = destination.list(options.prefix() + "/").size();
    } catch (IOException | RuntimeException e) {
      left = -1;
    }
    report.line(
        "clean-up",
        failed == 0 && left == 0
            ? "removed everything under " + options.prefix() + "/"
            : String.format(
                Locale.ROOT,
                "%d delete(s) failed and %s file(s) still listed under %s/: remove them",
                failed,
                left < 0 ? "an unknown number of" : String.valueOf(left),
                options.prefix()));
  }

  private static long copy(InputStream in, MessageDigest sha256) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) != -1; ) {
      sha256.update(buffer, 0, n);
      total += n;
    }
    return total;
  }

  private static void awaitAll(List<Future<?>> futures) throws IOException {
    List<Future<?>> copy;
    synchronized (futures) {
      copy = List.copyOf(futures);
    }
    for (Future<?> future : copy) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("the analysis was interrupted", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof UncheckedIOException io) {
          throw io.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IOException(cause);
      }
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("the analysis was interrupted", e);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static String rate(long bytes, double seconds) {
    return String.format(Locale.ROOT, "%.1f MiB/s", bytes / 1048576.0 / Math.max(seconds, 1e-3));
  }
}
