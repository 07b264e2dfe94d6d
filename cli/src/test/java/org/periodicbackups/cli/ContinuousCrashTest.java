package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.ChainVerification;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * Crash consistency of continuous backup with compaction: {@code pbk run} backs up every 300 ms and
 * compacts into 2-second and 6-second files, removing merged files at once, while this test writes;
 * it is killed with SIGKILL at seeded random moments (during an upload, a merge or a removal,
 * whichever it is doing). After every kill the chain must verify and reach at least the etag the
 * status acknowledges as backed up; at the end one more backup must restore equal to the source.
 *
 * <p>Trials: {@code -Dpbk.continuous.trials} (default 3); seed: {@code -Dpbk.seed}.
 */
class ContinuousCrashTest {
  private static final int TRIALS = Integer.getInteger("pbk.continuous.trials", 3);
  private static final long SEED = Long.getLong("pbk.seed", System.nanoTime());

  @TempDir Path temp;

  @Test
  @Timeout(600)
  void aDaemonKilledWhileBackingUpAndCompactingNeverLosesAnAcknowledgedWrite() throws Exception {
    System.out.printf(
        "ContinuousCrashTest: %d trials, seed %d (rerun with -Dpbk.seed=%d)%n", TRIALS, SEED, SEED);
    SplittableRandom random = new SplittableRandom(SEED);
    Path data = temp.resolve("data");
    Path backups = temp.resolve("backups");
    StringBuilder logs = new StringBuilder();
    try (SqliteStore store = new SqliteStore(data)) {
      SqliteDatabase shop = store.create("shop", Map.of());
      shop.putSystemDocument(
          SystemDocuments.SETUP_KEY,
          "{\"LocalFolderName\": \""
              + backups.toString().replace("\\", "\\\\")
              + "\", \"IntervalMilliseconds\": 300, \"CompactionMilliseconds\": [2000, 6000],"
              + " \"CompactionKeepMilliseconds\": [0, 0]}");
      int key = 0;
      for (int trial = 0; trial < TRIALS; trial++) {
        DaemonProcess daemon =
            DaemonProcess.start(
                data,
                temp.resolve("tmp"),
                temp.resolve("run-" + trial + ".log"),
                "--setting",
                "Raven/ActiveBundles=PeriodicBackups");
        long end = System.nanoTime() + random.nextLong(4_000, 9_000) * 1_000_000;
        while (System.nanoTime() < end) {
          shop.putDocument("users/" + key, "{}", "{\"N\":" + key + "}");
          shop.putDocument("counters/" + (key % 5), "{}", "{\"At\":" + key + "}");
          if (key % 4 == 3) {
            shop.deleteDocument("users/" + (key - 2));
          }
          key++;
          Thread.sleep(5);
        }
        daemon.kill();
        daemon.ensureDead();
        logs.append(daemon.output());
        long acknowledged = status(shop).coveredEtag();
        try (FilesystemDestination destination = new FilesystemDestination(backups)) {
          ChainRestorer restorer = new ChainRestorer();
          ChainVerification verified =
              restorer.verify(
                  destination, restorer.plan(destination, RestoreRequest.latest("shop")));
          long reached = verified.files().get(verified.files().size() - 1).header().toEtag();
          assertThat(reached)
              .as("trial %d: the chain reaches the etag the status acknowledged", trial)
              .isGreaterThanOrEqualTo(acknowledged);
        }
      }
      assertThat(logs.toString()).contains("compacted ").contains("compaction removed ");
      DaemonProcess last =
          DaemonProcess.startPbk(
              temp.resolve("tmp"),
              temp.resolve("last.log"),
              "--data-dir",
              data.toString(),
              "backup",
              "-d",
              "shop");
      assertThat(last.exitsWithin(120_000)).as(last.output()).isTrue();
      assertThat(last.exitCode()).as(last.output()).isZero();
      try (Stream<Path> left = Files.list(temp.resolve("tmp"))) {
        assertThat(left.map(path -> path.getFileName().toString()))
            .as("temporary files left by killed runs")
            .noneMatch(name -> name.endsWith(".tmp"));
      }
      Run verify = Pbk.run("verify", backups.toString());
      assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
      Run restored =
          Pbk.run(
              "smuggler",
              "in",
              temp.resolve("restored").toString(),
              backups.toString(),
              "--database=copy",
              "--incremental");
      assertThat(restored.exitCode()).as(restored.err()).isZero();
      assertThat(restored.out()).contains("content proved equal to the source at ");
      try (SqliteStore copies = new SqliteStore(temp.resolve("restored"))) {
        assertThat(
                DatabaseContents.of(copies.open("copy")).differenceFrom(DatabaseContents.of(shop)))
            .isNull();
      }
    }
  }

  private static PeriodicBackupStatus status(SqliteDatabase shop) throws Exception {
    return shop.getSystemDocument(SystemDocuments.STATUS_KEY)
        .map(StatusDocuments::parse)
        .orElse(PeriodicBackupStatus.initial());
  }
}
