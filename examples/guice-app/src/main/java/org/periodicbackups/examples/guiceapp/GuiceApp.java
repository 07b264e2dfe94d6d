package org.periodicbackups.examples.guiceapp;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.guice.BackupSchedulerPool;
import org.periodicbackups.core.guice.PeriodicBackupModule;
import org.periodicbackups.core.scheduler.BundleActivation;
import org.periodicbackups.core.scheduler.PeriodicBackupService;
import org.periodicbackups.destination.filesystem.FilesystemDestinationModule;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * A small application wired with Guice: an embedded "shop" database whose writes are backed up to a
 * local folder every {@link #INTERVAL} by the injected {@link PeriodicBackupService}.
 *
 * <p>Layout under its home folder: {@code data/} (the SQLite store), {@code backups/} (the backup
 * chain, restorable with {@code pbk smuggler in … backups --database=shop --incremental}) and
 * {@code work/} (dump files before upload).
 */
public final class GuiceApp {
  /** How often the scheduler backs up: the setup document's IntervalMilliseconds. */
  public static final Duration INTERVAL = Duration.ofMillis(200);

  private GuiceApp() {}

  /** Runs three rounds of writes in {@code args[0]} (default: a new temporary folder). */
  public static void main(String[] args) throws Exception {
    Path home = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("pbk-guice-app");
    for (BackupRecord backup : run(home, 3)) {
      System.out.printf(
          "%s backup %s (etags %d..%d)%n",
          backup.type().displayName(), backup.fileName(), backup.fromEtag(), backup.toEtag());
    }
    System.out.println("backups are in " + home.resolve("backups"));
  }

  /**
   * The injector: the backup machinery, the filesystem destination, this app's work folder, and the
   * bundle active for every database this application adds to the service.
   */
  public static Injector injector(Path home) {
    return Guice.createInjector(
        new PeriodicBackupModule(),
        new FilesystemDestinationModule(),
        binder -> {
          PeriodicBackupModule.workFolder(binder).toInstance(home.resolve("work"));
          PeriodicBackupModule.activation(binder).toInstance(BundleActivation.everywhere());
        });
  }

  /**
   * Opens (or creates) the shop database in {@code home}, points its backups at {@code
   * home/backups}, and for each round writes some changes and waits for the backup that covers
   * them. The database joins the scheduler after the first round, so that the first (full) backup
   * holds it and each later round lands in an incremental one.
   *
   * @return the backup of each round, in order
   */
  public static List<BackupRecord> run(Path home, int rounds) throws Exception {
    Injector injector = injector(home);
    PeriodicBackupService service = injector.getInstance(PeriodicBackupService.class);
    try (SqliteStore store = new SqliteStore(home.resolve("data"))) {
      SqliteDatabase shop = store.openOrCreate("shop");
      PeriodicBackupSetup setup =
          PeriodicBackupSetup.localFolder(home.resolve("backups").toString(), INTERVAL.toMillis());
      shop.putSystemDocument(SystemDocuments.SETUP_KEY, SetupDocuments.toJson(setup));
      List<BackupRecord> backups = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        long lastEtag = writeRound(shop, round);
        if (round == 1) {
          service.add(shop); // never backed up: the first run, right away, is the full backup
        }
        backups.add(awaitBackupCovering(shop, lastEtag, Duration.ofSeconds(30)));
      }
      return backups;
    } finally {
      service.shutdown(Duration.ofSeconds(10));
      injector
          .getInstance(Key.get(ScheduledExecutorService.class, BackupSchedulerPool.class))
          .shutdown();
    }
  }

  /** Waits until the status document records a backup that reaches {@code etag}. */
  static BackupRecord awaitBackupCovering(SqliteDatabase db, long etag, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<BackupRecord> last =
          db.getSystemDocument(SystemDocuments.STATUS_KEY)
              .map(StatusDocuments::parse)
              .flatMap(PeriodicBackupStatus::lastFile);
      if (last.isPresent() && last.get().toEtag() >= etag) {
        return last.get();
      }
      Thread.sleep(20);
    }
    throw new TimeoutException(
        "no backup of '" + db.databaseName() + "' reached etag " + etag + " within " + timeout);
  }

  /**
   * New orders, an updated customer, a receipt, and (after round 1) a cancelled order, in one
   * transaction, so that a backup holds a round either whole or not at all.
   *
   * @return the etag of the round's last write
   */
  private static long writeRound(SqliteDatabase shop, int round) throws IOException {
    String meta = "{\"Raven-Entity-Name\":\"Orders\"}";
    byte[] receipt = ("receipt of round " + round).getBytes(StandardCharsets.UTF_8);
    long[] last = new long[1];
    shop.write(
        writer -> {
          for (int i = 1; i <= 5; i++) {
            writer.putDocument(
                "orders/" + round + "-" + i, meta, "{\"Round\":" + round + ",\"Line\":" + i + "}");
          }
          writer.putDocument(
              "customers/1",
              "{\"Raven-Entity-Name\":\"Customers\"}",
              "{\"Name\":\"Ann\",\"Orders\":" + (round * 5) + "}");
          last[0] =
              writer.putAttachment("receipts/" + round, "{}", new ByteArrayInputStream(receipt));
          if (round > 1) {
            writer.deleteDocument("orders/" + (round - 1) + "-1"); // takes the next etag
            last[0]++;
          }
        });
    return last[0];
  }
}
