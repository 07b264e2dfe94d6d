package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.store.sqlite.ChangeEvent;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * {@code pbk run} as a separate process, on a real data folder that this test writes to at the same
 * time (SQLite in WAL mode allows both processes), with a 300 ms interval.
 */
@Timeout(90)
class RunCommandProcessTest {
  @TempDir Path temp;
  Path data;
  Path backups;
  SqliteStore store;
  SqliteDatabase shop;
  final List<ChangeEvent> written = new ArrayList<>();
  final List<DaemonProcess> daemons = new ArrayList<>();
  int nextKey;

  @BeforeEach
  void setUp() throws IOException {
    data = temp.resolve("data");
    backups = temp.resolve("backups");
    store = new SqliteStore(data);
    shop = store.create("shop", Map.of());
    shop.addChangeListener(
        event -> {
          synchronized (written) {
            written.add(event);
          }
        });
    shop.putSystemDocument(
        SystemDocuments.SETUP_KEY,
        "{\"LocalFolderName\": " + quote(backups.toString()) + ", \"IntervalMilliseconds\": 300}");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (DaemonProcess daemon : daemons) {
      daemon.ensureDead();
    }
    store.close();
  }

  private DaemonProcess daemon(String... args) throws IOException {
    DaemonProcess daemon =
        DaemonProcess.start(
            data, temp.resolve("tmp"), temp.resolve("daemon-" + daemons.size() + ".log"), args);
    daemons.add(daemon);
    return daemon;
  }

  /** Puts new documents (and deletes some) for {@code millis}, paced, as an application would. */
  private void writeFor(long millis) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      int key = nextKey++;
      shop.putDocument("users/" + key, "{}", "{\"N\":" + key + "}");
      if (key % 4 == 3) {
        shop.deleteDocument("users/" + (key - 2));
      }
      Thread.sleep(15); // pacing the writer, not waiting for the schedule
    }
  }

  private PeriodicBackupStatus status() throws IOException {
    return shop.getSystemDocument(SystemDocuments.STATUS_KEY)
        .map(StatusDocuments::parse)
        .orElse(PeriodicBackupStatus.initial());
  }

  private long lastWrittenEtag() {
    synchronized (written) {
      return written.stream()
          .filter(event -> !SystemDocuments.isSystemKey(event.key()))
          .mapToLong(ChangeEvent::etag)
          .max()
          .orElse(0);
    }
  }

  /** Documents as of {@code etag}: this test's writes up to it, replayed. */
  private DatabaseContents sourceAsOf(long etag) {
    Map<String, String> documents = new TreeMap<>();
    synchronized (written) {
      for (ChangeEvent event : written) {
        if (event.etag() > etag || SystemDocuments.isSystemKey(event.key())) {
          continue;
        }
        if (event.deleted()) {
          documents.remove(event.key());
        } else {
          String number = event.key().substring("users/".length());
          documents.put(event.key(), "{} {\"N\":" + number + "}");
        }
      }
    }
    return new DatabaseContents(documents, Map.of());
  }

  private DatabaseContents restore(String name) throws IOException {
    try (SqliteStore target = new SqliteStore(temp.resolve("restored"));
        FilesystemDestination destination = new FilesystemDestination(backups)) {
      SqliteDatabase restored = target.create(name, Map.of());
      ChainRestorer restorer = new ChainRestorer();
      restorer.restore(
          destination, restorer.plan(destination, RestoreRequest.latest("shop")), restored);
      return DatabaseContents.of(restored);
    }
  }

  private static void await(String what, BooleanSupplier condition, DaemonProcess daemon)
      throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "timed out waiting for " + what + "; daemon log:\n" + daemon.output());
      }
      Thread.sleep(50);
    }
  }

  private BooleanSupplier covers(long etag) {
    return () -> {
      try {
        return status().coveredEtag() >= etag;
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    };
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Test
  void sigtermStopsTheDaemonWithExitZeroAndTheBackupsRestoreWhatTheStatusCovers() throws Exception {
    // The bundle is active globally; Disabled turns one database off.
    SqliteDatabase off = store.create("off", Map.of());
    off.putDocument("users/1", "{}", "{}");
    off.putSystemDocument(
        SystemDocuments.SETUP_KEY,
        "{\"LocalFolderName\": "
            + quote(backups.toString())
            + ", \"IntervalMilliseconds\": 300, \"Disabled\": true}");
    DaemonProcess daemon =
        daemon(
            "--setting",
            "Raven/ActiveBundles=PeriodicBackups",
            "--rescan-interval",
            "1s",
            "--shutdown-timeout",
            "5s");

    writeFor(1_000);
    long early = lastWrittenEtag();
    await("a backup covering etag " + early, covers(early), daemon);
    writeFor(1_000); // still writing when the signal comes

    int exitCode = daemon.stop();

    String log = daemon.output();
    assertThat(exitCode).as("exit code; log:\n%s", log).isZero();
    assertThat(log)
        .contains("Full backup of 'shop'", "Incremental backup of 'shop'", "pbk run: stopped");
    assertThat(backups.resolve("off")).doesNotExist();
    long covered = status().coveredEtag();
    assertThat(covered).isGreaterThanOrEqualTo(early);
    assertThat(sourceAsOf(covered).differenceFrom(restore("copy"))).isNull();
  }

  @Test
  void aBackupWhileAnotherProcessBacksUpTheSameDatabaseDoesNothing() throws Exception {
    shop.putDocument("users/1", "{}", "{\"N\":1}");
    Path tmp = temp.resolve("tmp");
    DaemonProcess refused;
    try (ChangeSource.BackupLock held = shop.tryLockBackups().orElseThrow()) {
      refused =
          DaemonProcess.startPbk(
              tmp,
              temp.resolve("refused.log"),
              "--data-dir",
              data.toString(),
              "backup",
              "-d",
              "shop",
              "--full");
      daemons.add(refused);

      assertThat(refused.exitsWithin(30_000)).as("pbk backup ended").isTrue();
      assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
      assertThat(refused.output())
          .contains("another process is backing up database 'shop'; this run did nothing");
      assertThat(backups).doesNotExist();
      assertThat(status().lastFile()).isEmpty();
    }

    DaemonProcess after =
        DaemonProcess.startPbk(
            tmp,
            temp.resolve("after.log"),
            "--data-dir",
            data.toString(),
            "backup",
            "-d",
            "shop",
            "--full");
    daemons.add(after);
    assertThat(after.exitsWithin(30_000)).as("pbk backup ended").isTrue();
    assertThat(after.exitCode()).as(after.output()).isZero();
    assertThat(status().lastFile()).isPresent();
    assertThat(restore("shop")).isEqualTo(DatabaseContents.of(shop));
  }

  @Test
  void killedDaemonRestartsAndTheFinalBackupRestoresTheWholeSource() throws Exception {
    // The bundle per database (an older name of it); the global file names other bundles only.
    Files.writeString(
        data.resolve("pbk.properties"),
        "# global settings of pbk run\nRaven/ActiveBundles = Replication\n",
        StandardCharsets.UTF_8);
    shop.putSetting("Raven/ActiveBundles", "Versioning;PeriodicBackup");
    SqliteDatabase plain = store.create("plain", Map.of());
    plain.putDocument("users/1", "{}", "{}");
    plain.putSystemDocument(
        SystemDocuments.SETUP_KEY,
        "{\"LocalFolderName\": " + quote(backups.toString()) + ", \"IntervalMilliseconds\": 300}");
    DaemonProcess first = daemon("--rescan-interval", "1s");
    writeFor(800);
    await("a first backup", covers(1), first);
    writeFor(500);

    first.kill(); // in the middle of runs, as a crash would
    writeFor(300);
    DaemonProcess second = daemon("--rescan-interval", "1s", "--max-concurrent", "1");
    writeFor(800);
    long last = lastWrittenEtag();
    await("a backup covering etag " + last, covers(last), second);
    int exitCode = second.stop();

    assertThat(exitCode).as("exit code; log:\n%s", second.output()).isZero();
    assertThat(restore("copy").differenceFrom(DatabaseContents.of(shop))).isNull();
    assertThat(backups.resolve("plain")).as("a database without the bundle").doesNotExist();
    assertThat(sourceAsOf(last).differenceFrom(DatabaseContents.of(shop))).isNull();
  }
}
