package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.core.backup.BackupOutcome.Result;
import org.periodicbackups.store.sqlite.DatabaseContents;

/**
 * A writer puts and deletes documents as fast as it can while backups run. Each backup must be
 * exactly the database as of its cut: replaying the writer's own log up to the cut's etag gives
 * what restoring up to that backup must give, so a change lost between two backups, or applied in
 * the wrong one, shows up as a difference.
 */
class ConcurrentWritesTest {
  private static final long SEED = Long.getLong("pbk.seed", 20261128L);

  private record Write(long etag, String key, String body) {}

  @TempDir Path temp;

  @Test
  void backupsTakenDuringWritesLoseNoChangeAndApplyNoneTwice() throws Exception {
    System.out.println(
        "ConcurrentWritesTest seed " + SEED + " (rerun with -Dpbk.seed=" + SEED + ")");
    try (BackupWorld world = new BackupWorld(temp)) {
      world.setupLocalFolder();
      List<Write> log = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong deleteEtag = new AtomicLong(-1);
      Thread[] writerThread = new Thread[1];
      world.db.addChangeListener(
          event -> {
            if (Thread.currentThread() == writerThread[0] && event.deleted()) {
              deleteEtag.set(event.etag());
            }
          });
      ExecutorService executor = Executors.newSingleThreadExecutor();
      Future<?> writer =
          executor.submit(
              () -> {
                writerThread[0] = Thread.currentThread();
                SplittableRandom random = new SplittableRandom(SEED);
                for (int n = 0; !stop.get() || log.size() < 200; n++) {
                  String key = "docs/" + random.nextInt(60);
                  if (random.nextInt(10) < 7) {
                    String body = "{\"n\":" + n + "}";
                    log.add(new Write(world.db.putDocument(key, "{}", body), key, body));
                  } else {
                    deleteEtag.set(-1);
                    if (world.db.deleteDocument(key)) {
                      log.add(new Write(deleteEtag.get(), key, null));
                    }
                  }
                }
                return null;
              });

      List<BackupRecord> backups = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Thread.sleep(40);
        BackupOutcome outcome = world.engine.run(world.db, new BackupRequest(i == 4, false));
        outcome.backup().ifPresent(backups::add);
        world.clock.advance(java.time.Duration.ofSeconds(1));
      }
      stop.set(true);
      writer.get(60, TimeUnit.SECONDS);
      executor.shutdown();
      BackupOutcome last = world.engine.run(world.db, BackupRequest.SCHEDULED);
      assertThat(last.result()).isEqualTo(Result.BACKED_UP);
      backups.add(last.backup().orElseThrow());

      assertThat(log).hasSizeGreaterThanOrEqualTo(200);
      assertThat(backups).hasSizeGreaterThanOrEqualTo(5);
      for (BackupRecord backup : backups) {
        assertThat(
                world
                    .restore(world.backups, backup.fileName())
                    .differenceFrom(expectedAt(log, backup.toEtag())))
            .as("restore up to %s (cut at etag %d)", backup.fileName(), backup.toEtag())
            .isNull();
      }
      assertThat(world.restore(world.backups, null).differenceFrom(DatabaseContents.of(world.db)))
          .isNull();
    }
  }

  private static DatabaseContents expectedAt(List<Write> log, long cut) {
    Map<String, String> documents = new TreeMap<>();
    for (Write write : log) {
      if (write.etag() <= cut) {
        if (write.body() == null) {
          documents.remove(write.key());
        } else {
          documents.put(write.key(), "{} " + write.body());
        }
      }
    }
    return new DatabaseContents(documents, Map.of());
  }
}
