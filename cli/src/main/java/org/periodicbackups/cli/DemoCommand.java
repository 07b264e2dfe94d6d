package org.periodicbackups.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pbk demo}: the whole loop on the embedded default, in a fresh folder. Creates a database,
 * writes documents and attachments, takes a full and two incremental backups to a local folder with
 * updates and deletions in between, restores the chain into a new database and checks that it
 * equals the source. Exits 1 if it does not.
 */
@Command(name = "demo", description = "Back up, change, back up, restore and compare, end to end.")
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--work-dir",
      paramLabel = "<folder>",
      description = "Where to put the demo's data and backups (default: a new temporary folder).")
  Path workDir;

  @Option(
      names = "--documents",
      defaultValue = "500",
      description = "How many documents to start with (default: ${DEFAULT-VALUE}).")
  int documents;

  @Override
  public Integer call() throws Exception {
    Path work =
        workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("pbk-demo-");
    Path backups = work.resolve("backups");
    System.out.println("working in " + work);
    Random random = new Random(42);
    try (SqliteStore source = new SqliteStore(work.resolve("data"));
        SqliteStore target = new SqliteStore(work.resolve("restored"))) {
      SqliteDatabase shop = source.create("shop", java.util.Map.of());
      shop.putSystemDocument(
          SystemDocuments.SETUP_KEY,
          SetupDocuments.toJson(PeriodicBackupSetup.localFolder(backups.toString(), 3_600_000L)));
      BackupEngine engine =
          new BackupEngine(
              new DestinationResolver(DestinationRegistry.discover(Main.class.getClassLoader())));

      writeDocuments(shop, 0, documents, 1);
      shop.putAttachment(
          "images/logo.png",
          "{\"Content-Type\":\"image/png\"}",
          new ByteArrayInputStream(bytes(random, 64 * 1024)));
      shop.putAttachment("empty.bin", "{}", new ByteArrayInputStream(new byte[0]));
      shop.putAttachment(
          "videos/intro.mp4",
          "{\"Content-Type\":\"video/mp4\"}",
          new ByteArrayInputStream(bytes(random, 3 * 1024 * 1024)));
      report(engine.run(shop, new BackupRequest(true, true)));

      writeDocuments(shop, 0, documents / 10, 2);
      for (int i = documents - documents / 20; i < documents; i++) {
        shop.deleteDocument(key(i));
      }
      shop.deleteAttachment("empty.bin");
      report(engine.run(shop, new BackupRequest(false, true)));

      writeDocuments(shop, documents, documents + documents / 10, 3);
      shop.putAttachment(
          "images/logo.png",
          "{\"Content-Type\":\"image/png\",\"Version\":2}",
          new ByteArrayInputStream(bytes(random, 80 * 1024)));
      shop.deleteDocument(key(1));
      report(engine.run(shop, new BackupRequest(false, true)));
      engine.close(); // gives the backup lease up

      SqliteDatabase restored = target.create("shop-restored", java.util.Map.of());
      RestoreResult result;
      try (FilesystemDestination folder = new FilesystemDestination(backups)) {
        ChainRestorer restorer = new ChainRestorer();
        result =
            restorer.restore(
                folder, restorer.plan(folder, RestoreRequest.latest("shop")), restored);
      }
      System.out.printf(
          "restored %d files into 'shop-restored' (up to etag %d)%n",
          result.files().size(), result.toEtag());

      String difference = DatabaseContents.of(shop).differenceFrom(DatabaseContents.of(restored));
      if (difference != null) {
        System.out.println("FAILED: the restored database differs from the source: " + difference);
        return ErrorReporter.FAILED;
      }
      System.out.printf(
          "OK: the restored database equals the source (%d documents," + " %d attachments)%n",
          restored.documentCount(), restored.attachmentCount());
      return 0;
    }
  }

  private static void report(BackupOutcome outcome) {
    System.out.println(outcome.message());
  }

  private static void writeDocuments(SqliteDatabase db, int from, int to, int version)
      throws IOException {
    db.write(
        writer -> {
          for (int i = from; i < to; i++) {
            writer.putDocument(
                key(i),
                "{\"Raven-Entity-Name\":\"Users\"}",
                "{\"Name\":\"User "
                    + i
                    + " — Zoë\",\"Version\":"
                    + version
                    + ",\"Tags\":[\"a\",\"b\"],"
                    + "\"Address\":{\"City\":\"Zürich\",\"Zip\":\"80"
                    + (i % 100)
                    + "\"}}");
          }
        });
  }

  private static String key(int i) {
    return "users/" + i;
  }

  private static byte[] bytes(Random random, int size) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return data;
  }
}
