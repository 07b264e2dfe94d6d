package org.periodicbackups.examples.guiceapp;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.guice.PeriodicBackupModule;
import org.periodicbackups.destination.filesystem.FilesystemDestinationModule;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * A small application wired with Guice: an embedded "shop" database whose writes are backed up
 * to a local folder by the injected engine, every {@link #INTERVAL}.
 *
 * <p>Layout under its home folder: {@code data/} (the SQLite store), {@code backups/} (the
 * backup chain, restorable with {@code pbk smuggler in … backups --database=shop
 * --incremental}) and {@code work/} (dump files before upload).
 */
public final class GuiceApp {
  /** How often the loop backs up; the setup document says the same. */
  public static final Duration INTERVAL = Duration.ofMillis(200);

  private GuiceApp() {}

  /** Runs three rounds of writes in {@code args[0]} (default: a new temporary folder). */
  public static void main(String[] args) throws Exception {
    Path home = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("pbk-guice-app");
    for (BackupRecord backup : run(home, 3)) {
      System.out.printf("%s backup %s (etags %d..%d)%n", backup.type().displayName(),
          backup.fileName(), backup.fromEtag(), backup.toEtag());
    }
    System.out.println("backups are in " + home.resolve("backups"));
  }

  /** The injector: the backup machinery, the filesystem destination and this app's folders. */
  public static Injector injector(Path home) {
    return Guice.createInjector(
        new PeriodicBackupModule(),
        new FilesystemDestinationModule(),
        binder -> PeriodicBackupModule.workFolder(binder).toInstance(home.resolve("work")));
  }

  /**
   * Opens (or creates) the shop database in {@code home}, points its backups at
   * {@code home/backups}, and for each round writes some changes and waits for the backup that
   * covers them. The loop starts after the first round, so that the full backup holds it and
   * each later round lands in an incremental one.
   *
   * @return the backup of each round, in order
   */
  public static List<BackupRecord> run(Path home, int rounds) throws Exception {
    Injector injector = injector(home);
    try (SqliteStore store = new SqliteStore(home.resolve("data"));
        BackupLoop loop = injector.getInstance(BackupLoop.class)) {
      SqliteDatabase shop = store.openOrCreate("shop");
      PeriodicBackupSetup setup = PeriodicBackupSetup.localFolder(
          home.resolve("backups").toString(), INTERVAL.toMillis());
      shop.putSystemDocument(SystemDocuments.SETUP_KEY, SetupDocuments.toJson(setup));
      List<BackupRecord> backups = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        long lastEtag = writeRound(shop, round);
        if (round == 1) {
          loop.start(shop, INTERVAL); // the first run, right away, is the full backup
        }
        backups.add(loop.awaitBackupCovering(lastEtag, Duration.ofSeconds(30)));
      }
      return backups;
    }
  }

  /** New orders, an updated customer, a receipt, and (after round 1) a cancelled order. */
  private static long writeRound(SqliteDatabase shop, int round) throws IOException {
    String meta = "{\"Raven-Entity-Name\":\"Orders\"}";
    long etag = 0;
    for (int i = 1; i <= 5; i++) {
      String key = "orders/" + round + "-" + i;
      etag = shop.putDocument(key, meta, "{\"Round\":" + round + ",\"Line\":" + i + "}");
    }
    etag = shop.putDocument("customers/1", "{\"Raven-Entity-Name\":\"Customers\"}",
        "{\"Name\":\"Ann\",\"Orders\":" + (round * 5) + "}");
    byte[] receipt = ("receipt of round " + round).getBytes(StandardCharsets.UTF_8);
    etag = shop.putAttachment("receipts/" + round, "{}", new ByteArrayInputStream(receipt));
    if (round > 1) {
      shop.deleteDocument("orders/" + (round - 1) + "-1");
      etag = Math.max(etag, shop.lastEtag());
    }
    return etag;
  }
}
