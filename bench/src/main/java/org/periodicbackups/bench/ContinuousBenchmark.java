package org.periodicbackups.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.aws.AwsClientConfig;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupListener;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestorePlan;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.destination.filesystem.FilesystemDestinationProvider;
import org.periodicbackups.destination.s3.S3Destination;
import org.periodicbackups.destination.s3.S3DestinationProvider;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * Continuous backup under sustained writes (bench/run-continuous.sh): a writer puts single
 * documents at a fixed rate while backups run a second apart, as {@code pbk run} schedules them,
 * with compaction, to the filesystem or to an embedded S3Proxy. Reports the backup lag of every
 * write (its commit to the end of the upload of a file holding it), the write latency with and
 * without backups running, files and requests per hour, what the destination holds at the end, and
 * the restore of the resulting chain next to a restore of one full file of the same data.
 *
 * <p>Arguments: seconds per destination (default 600), writes per second (default 1000),
 * destinations ({@code filesystem,s3proxy}), work folder (default a new temporary one).
 *
 * <p>The compaction windows are 10 s and 1 min, kept 1 min and 10 min, so that a 10-minute run sees
 * both levels and removals at work; the README's example setup scales them by 6 and 60.
 */
public final class ContinuousBenchmark {
  private static final String SETUP_TAIL =
      "\"IntervalMilliseconds\": 1000, \"CompactionMilliseconds\": [10000, 60000],"
          + " \"CompactionKeepMilliseconds\": [60000, 600000]";

  private ContinuousBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    List<String> destinations =
        List.of((args.length > 2 ? args[2] : "filesystem,s3proxy").split(","));
    Path work = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("pbk-continuous");
    System.out.printf(
        Locale.ROOT,
        "== continuous backup: %d s per destination, %d writes/s, setup {%s}%n",
        seconds,
        rate,
        SETUP_TAIL);
    for (String destination : destinations) {
      run(work.resolve(destination), destination, seconds, rate);
    }
  }

  /** What the engine reports: each stored file's cut, compaction's files and requests. */
  private static final class Observed implements BackupListener {
    final AtomicInteger files = new AtomicInteger();
    final AtomicInteger compacted = new AtomicInteger();
    final AtomicInteger removed = new AtomicInteger();
    final AtomicLong compactionRequests = new AtomicLong();
    volatile long storedEtag;
    volatile long storedAtNanos;

    @Override
    public void succeeded(String database, BackupRecord backup) {
      storedAtNanos = System.nanoTime();
      storedEtag = backup.toEtag();
      files.incrementAndGet();
    }

    @Override
    public void compacted(String database, int written, int removedFiles, int requests) {
      compacted.addAndGet(written);
      removed.addAndGet(removedFiles);
      compactionRequests.addAndGet(requests);
    }
  }

  /** The writes of one phase: etag and commit time of each, and its latency. */
  private static final class Writes {
    final long[] etags;
    final long[] commitNanos;
    final long[] latencyNanos;
    final AtomicInteger count = new AtomicInteger();

    Writes(int capacity) {
      etags = new long[capacity];
      commitNanos = new long[capacity];
      latencyNanos = new long[capacity];
    }
  }

  private static void run(Path root, String kind, int seconds, int rate) throws Exception {
    Files.createDirectories(root);
    BenchS3Proxy proxy = kind.equals("s3proxy") ? new BenchS3Proxy(root.resolve("s3")) : null;
    Path folder = root.resolve("backups");
    Observed observed = new Observed();
    try (SqliteStore store = new SqliteStore(root.resolve("data"));
        SqliteStore restored = new SqliteStore(root.resolve("restored"));
        BackupEngine engine =
            new BackupEngine(
                new DestinationResolver(
                    DestinationRegistry.of(
                        List.of(new FilesystemDestinationProvider(), new S3DestinationProvider()))),
                root.resolve("work"),
                Clock.systemUTC(),
                observed)) {
      SqliteDatabase db = store.create("shop", Map.of());
      int baselineSeconds = Math.max(10, Math.min(60, seconds / 10));
      Writes alone = write(db, rate, baselineSeconds, null);
      String where;
      if (proxy != null) {
        try (var client = proxy.client()) {
          client.createBucket(b -> b.bucket(S3Phase.BUCKET));
        }
        db.putSetting(AwsClientConfig.ACCESS_KEY_SETTING, BenchS3Proxy.ACCESS);
        db.putSecuredSetting(AwsClientConfig.SECRET_KEY_SETTING, BenchS3Proxy.SECRET);
        where =
            "\"S3BucketName\": \""
                + S3Phase.BUCKET
                + "\", \"S3RemoteFolderName\": \"continuous\", \"Destinations\": {\"s3\":"
                + " {\"Endpoint\": \""
                + proxy.endpoint
                + "\", \"PathStyle\": \"true\"}}";
      } else {
        where = "\"LocalFolderName\": \"" + folder.toString().replace("\\", "\\\\") + "\"";
      }
      db.putSystemDocument(SystemDocuments.SETUP_KEY, "{" + where + ", " + SETUP_TAIL + "}");
      engine.run(db, BackupRequest.SCHEDULED); // the full backup that starts the chain
      int filesBefore = observed.files.get();
      long[] lag = new long[rate * (seconds + 5)];
      AtomicInteger lagged = new AtomicInteger();
      long start = System.nanoTime();
      Writes writes = new Writes(rate * (seconds + 5));
      Thread backups =
          new Thread(() -> backUpEverySecond(engine, db, writes, observed, lag, lagged), "backups");
      backups.start();
      write(db, rate, seconds, writes);
      Thread.sleep(3_000); // the last writes reach a file
      backups.interrupt();
      backups.join();
      double hours = (System.nanoTime() - start) / 3.6e12;
      int written = writes.count.get();
      int uploads = observed.files.get() - filesBefore;
      BackupDestination reads = destination(proxy, folder);
      List<String> stored =
          reads.list("shop/").stream()
              .map(f -> f.name())
              .filter(n -> n.contains(".json."))
              .toList();
      long compactedStored = stored.stream().filter(n -> n.contains(".level")).count();
      ChainRestorer restorer = new ChainRestorer();
      RestorePlan plan = restorer.plan(reads, RestoreRequest.latest("shop"));
      long t0 = System.nanoTime();
      restorer.restore(reads, plan, restored.newDatabaseTarget("chain"));
      long chainRestore = System.nanoTime() - t0;
      reads.close();
      Path fullFolder = root.resolve("one-full");
      db.putSystemDocument(
          SystemDocuments.SETUP_KEY,
          "{\"LocalFolderName\": \"" + fullFolder.toString().replace("\\", "\\\\") + "\"}");
      engine.run(db, new BackupRequest(true, false));
      long fullRestore;
      try (FilesystemDestination full = new FilesystemDestination(fullFolder)) {
        RestorePlan one = restorer.plan(full, RestoreRequest.latest("shop"));
        t0 = System.nanoTime();
        restorer.restore(full, one, restored.newDatabaseTarget("full"));
        fullRestore = System.nanoTime() - t0;
      }
      long[] lags = Arrays.copyOf(lag, lagged.get());
      Arrays.sort(lags);
      long[] latencyAlone = sorted(alone);
      long[] latencyWith = sorted(writes);
      System.out.printf(
          Locale.ROOT,
          "== %s (load %s)%n"
              + "writes: %,d in %d s (%.0f/s); %,d documents at the end%n"
              + "backup lag (commit to stored file): p50 %.3f s, p99 %.3f s, max %.3f s over %,d"
              + " writes; target p99 <= 2 s -> %s%n"
              + "write latency p99: %.3f ms alone (%d s), %.3f ms with continuous backup;"
              + " ratio %.2f (target <= 1.5 -> %s); p50 %.3f / %.3f ms%n"
              + "files per hour: %.0f incrementals uploaded, %.0f compacted files written,"
              + " %.0f merged files removed%n"
              + "requests per hour: %.0f uploads of incrementals + %.0f of compaction ="
              + " %.0f%n"
              + "stored at the end: %d files (%d compacted) for %d incrementals written;"
              + " a restore of the chain reads %d files%n"
              + "restore: chain %.2f s, one full file of the same data %.2f s; ratio %.2f%n",
          kind,
          Files.readString(Path.of("/proc/loadavg")).trim(),
          written,
          seconds,
          written / (double) seconds,
          db.content().documents(),
          percentile(lags, 50) / 1e9,
          percentile(lags, 99) / 1e9,
          lags.length == 0 ? Double.NaN : lags[lags.length - 1] / 1e9,
          lags.length,
          percentile(lags, 99) <= 2e9 ? "met" : "NOT met",
          percentile(latencyAlone, 99) / 1e6,
          baselineSeconds,
          percentile(latencyWith, 99) / 1e6,
          percentile(latencyWith, 99) / (double) percentile(latencyAlone, 99),
          percentile(latencyWith, 99) <= 1.5 * percentile(latencyAlone, 99) ? "met" : "NOT met",
          percentile(latencyAlone, 50) / 1e6,
          percentile(latencyWith, 50) / 1e6,
          uploads / hours,
          observed.compacted.get() / hours,
          observed.removed.get() / hours,
          uploads / hours,
          observed.compactionRequests.get() / hours,
          (uploads + observed.compactionRequests.get()) / hours,
          stored.size(),
          compactedStored,
          uploads,
          plan.files().size(),
          chainRestore / 1e9,
          fullRestore / 1e9,
          chainRestore / (double) fullRestore);
    } finally {
      if (proxy != null) {
        proxy.close();
      }
    }
  }

  private static BackupDestination destination(BenchS3Proxy proxy, Path folder) {
    if (proxy == null) {
      return new FilesystemDestination(folder);
    }
    return S3Destination.builder()
        .bucket(S3Phase.BUCKET)
        .prefix("continuous")
        .aws(a -> a.endpoint(proxy.endpoint).credentials(BenchS3Proxy.ACCESS, BenchS3Proxy.SECRET))
        .build();
  }

  /**
   * Puts one document at a time at {@code rate} a second for {@code seconds}, recording each
   * write's etag, commit time and latency into {@code into} (a fresh record when null).
   */
  private static Writes write(SqliteDatabase db, int rate, int seconds, Writes into)
      throws Exception {
    Writes writes = into == null ? new Writes(rate * (seconds + 5)) : into;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long gap = 1_000_000_000L / rate;
    String body = "{\"Name\":\"" + "x".repeat(150) + "\",\"N\":";
    for (int i = 0; ; i++) {
      long due = start + i * gap;
      if (due >= end || i >= writes.etags.length) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      long before = System.nanoTime();
      long etag = db.putDocument("docs/" + (i % 200_000), "{}", body + i + "}");
      long after = System.nanoTime();
      writes.etags[i] = etag;
      writes.commitNanos[i] = after;
      writes.latencyNanos[i] = after - before;
      writes.count.set(i + 1);
    }
    return writes;
  }

  /**
   * Runs a backup a second after the start of the one before (as the scheduler of {@code pbk run}
   * does) until interrupted, and gives each write newly stored its lag.
   */
  private static void backUpEverySecond(
      BackupEngine engine,
      SqliteDatabase db,
      Writes writes,
      Observed observed,
      long[] lag,
      AtomicInteger lagged) {
    long next = System.nanoTime();
    int cursor = 0;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        next = System.nanoTime() + 1_000_000_000L;
        engine.run(db, BackupRequest.SCHEDULED);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        System.out.println("backup failed: " + e);
      }
      long storedEtag = observed.storedEtag;
      long storedAt = observed.storedAtNanos;
      int known = writes.count.get();
      while (cursor < known && writes.etags[cursor] <= storedEtag) {
        lag[cursor] = storedAt - writes.commitNanos[cursor];
        cursor++;
      }
      lagged.set(cursor);
    }
  }

  private static long[] sorted(Writes writes) {
    long[] latencies = Arrays.copyOf(writes.latencyNanos, writes.count.get());
    Arrays.sort(latencies);
    return latencies;
  }

  private static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100.0) - 1)];
  }
}
