package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * Soak: writer threads put, update and delete documents and attachments at full speed while {@code
 * pbk run} (its own JVM, on the same data folder) backs the database up every second and starts a
 * new chain every ten. Then SIGTERM must stop it promptly (a thread dump of the daemon otherwise),
 * one more backup runs, and the restored chain must equal the source.
 *
 * <p>Write latency is measured first without the daemon (baseline) and then during the soak, and
 * printed; it is recorded in docs/RELIABILITY.md, never asserted. Durations: {@code
 * -Dpbk.soak.seconds} (default 20; the long profile runs 300) and {@code
 * -Dpbk.soak.baselineSeconds} (default 5); seed: {@code -Dpbk.seed}.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class RunSoakTest {
  private static final long SEED = Long.getLong("pbk.seed", System.nanoTime());
  private static final int SOAK_SECONDS = Integer.getInteger("pbk.soak.seconds", 20);
  private static final int BASELINE_SECONDS = Integer.getInteger("pbk.soak.baselineSeconds", 5);
  private static final int WRITERS = 2;
  private static final int KEYS_PER_WRITER = 400;

  @TempDir Path temp;
  private SqliteStore store;
  private DaemonProcess daemon;

  @AfterEach
  void tearDown() throws Exception {
    if (daemon != null) {
      daemon.ensureDead();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void writersAtFullSpeedDuringPeriodicBackupsLoseNothingAndTheDaemonStopsOnSigterm()
      throws Exception {
    System.out.printf(
        "RunSoakTest: %d s soak, %d s baseline, %d writers, seed %d (rerun with"
            + " -Dpbk.seed=%d)%n",
        SOAK_SECONDS, BASELINE_SECONDS, WRITERS, SEED, SEED);
    Path data = temp.resolve("data");
    Path backups = temp.resolve("backups");
    store = new SqliteStore(data);
    SqliteDatabase shop = store.create("shop", Map.of());
    AtomicLong lastWrite = new AtomicLong();
    shop.addChangeListener(
        event -> {
          if (!SystemDocuments.isSystemKey(event.key())) {
            lastWrite.accumulateAndGet(event.etag(), Math::max);
          }
        });
    Random seeds = new Random(SEED);

    Latencies baseline = writeFor(shop, BASELINE_SECONDS, seeds.nextLong());
    shop.putSystemDocument(
        SystemDocuments.SETUP_KEY,
        "{\"LocalFolderName\": "
            + quote(backups.toString())
            + ", \"IntervalMilliseconds\": 1000,"
            + " \"FullBackupIntervalMilliseconds\": 10000}");
    daemon =
        DaemonProcess.start(
            data,
            temp.resolve("tmp"),
            temp.resolve("daemon.log"),
            "--setting",
            "Raven/ActiveBundles=PeriodicBackups",
            "--rescan-interval",
            "1s",
            "--shutdown-timeout",
            "10s");
    awaitFirstBackup(shop); // the daemon's JVM start is not part of the measurement
    StatusWatch watch = new StatusWatch(shop);
    watch.start();
    Latencies soak;
    try {
      soak = writeFor(shop, SOAK_SECONDS, seeds.nextLong());
    } finally {
      watch.stop();
    }
    long filesDuringSoak = backupFiles(backups);
    long stopStarted = System.nanoTime();
    int exitCode = daemon.stopOrDumpThreads(30);
    long stopMillis = (System.nanoTime() - stopStarted) / 1_000_000;
    String log = daemon.output();

    System.out.println("RunSoakTest baseline (no pbk run):   " + baseline.summary());
    System.out.println("RunSoakTest soak (pbk run backing up): " + soak.summary());
    System.out.printf(
        "RunSoakTest: %d backup files during the soak, SIGTERM to exit %d ms%n",
        filesDuringSoak, stopMillis);
    assertThat(exitCode).as("exit code of pbk run; log:\n%s", log).isZero();
    assertThat(log).as("daemon log").doesNotContain("backup of 'shop' failed");
    assertThat(watch.errorsSeen).as("LastError seen in the status during the soak").isEmpty();
    assertThat(filesDuringSoak)
        .as("backup files written during the soak; log:\n%s", log)
        .isGreaterThanOrEqualTo(3);
    assertThat(log).contains("Full backup of 'shop'", "Incremental backup of 'shop'");

    Run last = Pbk.run("--data-dir", data.toString(), "backup", "-d", "shop");
    assertThat(last.exitCode()).as("final backup: %s%s", last.out(), last.err()).isZero();
    assertThat(status(shop).lastError()).as("LastError after the final backup").isNull();
    // The cut may also cover the daemon's own later status write, never less than the writers'.
    assertThat(status(shop).coveredEtag())
        .as("etag covered by the backups")
        .isGreaterThanOrEqualTo(lastWrite.get());
    DatabaseContents source = DatabaseContents.of(shop);
    DatabaseContents restored = restore(backups, temp.resolve("restored"));
    assertThat(source.documents()).as("documents written").isNotEmpty();
    assertThat(source.attachments()).as("attachments written").isNotEmpty();
    assertThat(source.differenceFrom(restored)).as("restored vs source").isNull();
    assertThat(restored).isEqualTo(source);
  }

  /** Runs the writers for {@code seconds}; every operation's latency is kept. */
  private static Latencies writeFor(SqliteDatabase db, int seconds, long seed) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<Writer> writers = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      writers.add(new Writer(db, i, seed + i, stop));
    }
    writers.forEach(Thread::start);
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    Latencies all = new Latencies(seconds);
    for (Writer writer : writers) {
      writer.join(TimeUnit.MINUTES.toMillis(2));
      assertThat(writer.isAlive()).as("writer %s still running", writer.getName()).isFalse();
      if (writer.failure != null) {
        throw new AssertionError("writer " + writer.getName() + " failed", writer.failure);
      }
      all.add(writer.latencies);
    }
    return all;
  }

  /** Puts, updates and deletes documents and attachments of its own keys, without pause. */
  private static final class Writer extends Thread {
    private final SqliteDatabase db;
    private final int id;
    private final Random random;
    private final AtomicBoolean stop;
    final Latencies latencies = new Latencies(0);
    volatile Throwable failure;

    Writer(SqliteDatabase db, int id, long seed, AtomicBoolean stop) {
      super("soak-writer-" + id);
      this.db = db;
      this.id = id;
      this.random = new Random(seed);
      this.stop = stop;
    }

    @Override
    public void run() {
      try {
        long n = 0;
        while (!stop.get()) {
          int key = random.nextInt(KEYS_PER_WRITER);
          int op = random.nextInt(100);
          long start = System.nanoTime();
          if (op < 60) {
            db.putDocument(
                "users/" + id + "-" + key,
                "{\"Raven-Entity-Name\":\"Users\"}",
                "{\"Writer\":" + id + ",\"N\":" + n + ",\"Name\":\"ü " + random.nextInt() + "\"}");
          } else if (op < 75) {
            db.deleteDocument("users/" + id + "-" + key);
          } else if (op < 92) {
            byte[] content =
                new byte[random.nextInt(10) == 0 ? 256 * 1024 : random.nextInt(32 * 1024)];
            random.nextBytes(content);
            db.putAttachment(
                "files/" + id + "-" + key, "{\"N\":" + n + "}", new ByteArrayInputStream(content));
          } else {
            db.deleteAttachment("files/" + id + "-" + key);
          }
          latencies.record(System.nanoTime() - start);
          n++;
        }
      } catch (Throwable e) {
        failure = e;
      }
    }
  }

  /** Per-operation latencies in nanoseconds. */
  private static final class Latencies {
    private final int seconds;
    private long[] nanos = new long[1 << 14];
    private int count;

    Latencies(int seconds) {
      this.seconds = seconds;
    }

    void record(long value) {
      if (count == nanos.length) {
        nanos = Arrays.copyOf(nanos, count * 2);
      }
      nanos[count++] = value;
    }

    void add(Latencies other) {
      for (int i = 0; i < other.count; i++) {
        record(other.nanos[i]);
      }
    }

    String summary() {
      long[] sorted = Arrays.copyOf(nanos, count);
      Arrays.sort(sorted);
      return String.format(
          "%d ops in %d s (%.0f ops/s); latency p50 %.2f ms, p99 %.2f ms,"
              + " p99.9 %.2f ms, max %.2f ms",
          count,
          seconds,
          (double) count / seconds,
          millis(sorted, 0.50),
          millis(sorted, 0.99),
          millis(sorted, 0.999),
          count == 0 ? 0 : sorted[count - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
      return sorted.length == 0
          ? 0
          : sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]
              / 1e6;
    }
  }

  /** Reads the status every 200 ms and keeps every LastError it sees. */
  private static final class StatusWatch {
    private final SqliteDatabase db;
    private final AtomicBoolean stop = new AtomicBoolean();
    final List<String> errorsSeen = new ArrayList<>();
    private final Thread thread;

    StatusWatch(SqliteDatabase db) {
      this.db = db;
      this.thread = new Thread(this::watch, "soak-status-watch");
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join(10_000);
    }

    private void watch() {
      while (!stop.get()) {
        try {
          PeriodicBackupStatus status = status(db);
          if (status.lastError() != null) {
            String error = status.lastError().toString();
            synchronized (errorsSeen) {
              if (!errorsSeen.contains(error)) {
                errorsSeen.add(error);
              }
            }
          }
          Thread.sleep(200);
        } catch (IOException | RuntimeException e) {
          synchronized (errorsSeen) {
            errorsSeen.add("reading the status failed: " + e);
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static PeriodicBackupStatus status(SqliteDatabase db) throws IOException {
    return db.getSystemDocument(SystemDocuments.STATUS_KEY)
        .map(StatusDocuments::parse)
        .orElse(PeriodicBackupStatus.initial());
  }

  private void awaitFirstBackup(SqliteDatabase db) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (status(db).coveredEtag() == 0) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "no backup within 60 s of starting pbk run; its log:\n" + daemon.output());
      }
      Thread.sleep(100);
    }
  }

  private static long backupFiles(Path backups) throws IOException {
    if (!Files.isDirectory(backups)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(backups)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json.gz")).count();
    }
  }

  private static DatabaseContents restore(Path backups, Path folder) throws IOException {
    try (SqliteStore target = new SqliteStore(folder);
        FilesystemDestination destination = new FilesystemDestination(backups)) {
      SqliteDatabase restored = target.create("shop", Map.of());
      ChainRestorer restorer = new ChainRestorer();
      restorer.restore(
          destination, restorer.plan(destination, RestoreRequest.latest("shop")), restored);
      return DatabaseContents.of(restored);
    }
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
