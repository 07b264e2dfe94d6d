package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * Crash consistency: {@code pbk backup} runs in its own JVM and is killed with SIGKILL at a seeded
 * random moment (while exporting, uploading, between the upload and the status write, or after it
 * finished), again and again with writes in between. Afterwards one more backup must succeed and
 * the chain must verify and restore equal to the source. Then a restore is killed half-way and run
 * again over the partial database, which must also end equal to the source.
 *
 * <p>Trials: {@code -Dpbk.crash.trials} (default 10; the long profile runs 50); seed: {@code
 * -Dpbk.seed}.
 */
class CrashConsistencyTest {
  private static final int TRIALS = Integer.getInteger("pbk.crash.trials", 10);
  private static final long SEED = Long.getLong("pbk.seed", System.nanoTime());

  @TempDir Path temp;

  @Test
  @Timeout(600)
  void backupsKilledAtRandomMomentsLoseNothingAndAKilledRestoreCanBeRerun() throws Exception {
    System.out.printf(
        "CrashConsistencyTest: %d trials, seed %d (rerun with -Dpbk.seed=%d)%n",
        TRIALS, SEED, SEED);
    SplittableRandom random = new SplittableRandom(SEED);
    Path data = temp.resolve("data");
    Path backups = temp.resolve("backups");
    try (SqliteStore store = new SqliteStore(data)) {
      store
          .create("shop", Map.of())
          .putSystemDocument(
              SystemDocuments.SETUP_KEY,
              SetupDocuments.toJson(PeriodicBackupSetup.localFolder(backups.toString(), 60_000L)));
    }
    // An undisturbed run first: its duration (mostly JVM start-up, then export and upload)
    // scales the kill moments, so that they fall across the whole run on any machine.
    write(data, random, -1);
    long started = System.nanoTime();
    DaemonProcess first =
        DaemonProcess.startPbk(
            temp.resolve("tmp"),
            temp.resolve("backup-first.log"),
            "--data-dir",
            data.toString(),
            "backup",
            "-d",
            "shop");
    assertThat(first.exitsWithin(120_000)).as(first.output()).isTrue();
    long runMillis = (System.nanoTime() - started) / 1_000_000;
    int killed = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      write(data, random, trial);
      DaemonProcess backup =
          DaemonProcess.startPbk(
              temp.resolve("tmp"),
              temp.resolve("backup-" + trial + ".log"),
              "--data-dir",
              data.toString(),
              "backup",
              "-d",
              "shop",
              trial % 4 == 0 ? "--full" : "--verbose");
      if (!backup.exitsWithin(runMillis * random.nextInt(40, 130) / 100)) {
        backup.kill();
        killed++;
      }
      backup.ensureDead();
    }
    System.out.printf(
        "CrashConsistencyTest: an undisturbed run took %d ms; %d of %d runs were"
            + " killed before they ended%n",
        runMillis, killed, TRIALS);

    write(data, random, TRIALS);
    // In a process of its own with the same temporary folder: it removes what killed runs left.
    try (Stream<Path> left = Files.list(temp.resolve("tmp"))) {
      System.out.printf(
          "CrashConsistencyTest: killed runs left %d temporary dump file(s)%n",
          left.filter(path -> path.getFileName().toString().endsWith(".tmp")).count());
    }
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
          .as("temporary dump files left by killed runs")
          .noneMatch(name -> name.endsWith(".tmp"));
    }
    Run verify = Pbk.run("verify", backups.toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    DatabaseContents source = contents(data, "shop");
    // The digest the store kept through every killed run equals the one computed from its rows,
    // and a restore into a new database proves the chain rebuilds it.
    try (SqliteStore store = new SqliteStore(data)) {
      SqliteDatabase shop = store.open("shop");
      assertThat(shop.content()).isEqualTo(shop.computeContent().orElseThrow());
    }
    Run proved =
        Pbk.run(
            "smuggler",
            "in",
            temp.resolve("proved").toString(),
            backups.toString(),
            "--database=copy",
            "--incremental");
    assertThat(proved.exitCode()).as(proved.err()).isZero();
    assertThat(proved.out()).contains("content proved equal to the source at ");

    Path target = temp.resolve("target");
    DaemonProcess restore =
        DaemonProcess.startPbk(
            temp.resolve("tmp"),
            temp.resolve("restore.log"),
            "smuggler",
            "in",
            target.toString(),
            backups.toString(),
            "--database=copy",
            "--incremental");
    if (!restore.exitsWithin(random.nextLong(300, 1500))) {
      restore.kill();
    }
    restore.ensureDead();
    Run rerun =
        Pbk.run(
            "smuggler",
            "in",
            target.toString(),
            backups.toString(),
            "--database=copy",
            "--incremental",
            "--into-existing");
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(contents(target, "copy").differenceFrom(source)).isNull();
  }

  /** Puts, updates and deletes documents, and sometimes a 1–3 MiB attachment, in the store. */
  private static void write(Path data, SplittableRandom random, int round) throws IOException {
    try (SqliteStore store = new SqliteStore(data)) {
      SqliteDatabase shop = store.open("shop");
      shop.write(
          writer -> {
            for (int i = 0; i < 300; i++) {
              String key = "docs/" + random.nextInt(400);
              if (random.nextInt(5) == 0) {
                writer.deleteDocument(key);
              } else {
                writer.putDocument(key, "{}", "{\"Round\":" + round + ",\"I\":" + i + "}");
              }
            }
          });
      if (random.nextInt(3) == 0) {
        byte[] bytes = new byte[random.nextInt(1 << 20, 3 << 20)];
        random.nextBytes(bytes);
        shop.putAttachment("files/" + random.nextInt(4), "{}", new ByteArrayInputStream(bytes));
      }
      if (random.nextInt(4) == 0) {
        shop.deleteAttachment("files/" + random.nextInt(4));
      }
    }
  }

  private static DatabaseContents contents(Path dataDir, String database) throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      return DatabaseContents.of(store.open(database));
    }
  }
}
