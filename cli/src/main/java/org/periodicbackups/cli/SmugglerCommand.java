package org.periodicbackups.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.core.backup.FullExport;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestorePlan;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.server.ServerClient;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pbk smuggler}: moves data in from backup files, as RavenDB's smuggler does. */
@Command(
    name = "smuggler",
    description = "Import backups into a database, or export one.",
    subcommands = {SmugglerCommand.In.class, SmugglerCommand.Out.class, HelpCommand.class})
final class SmugglerCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * {@code pbk smuggler in <data-dir> <folder|file> --database=foo [--incremental]}: restore a
   * chain (or one dump file) into a database of a data folder. Every file is verified — readable,
   * same database, unbroken chain, checksums — before anything is written.
   */
  @Command(
      name = "in",
      description = {
        "Restore backups into a database: with --incremental, the newest chain in <source>",
        "(full + incrementals, verified before anything is written); without it, one dump file."
      })
  static final class In implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "<target>",
        description =
            "The data folder of the target database, or a running pbk server's URL"
                + " (http://127.0.0.1:8080; its API key from $PBK_API_KEY).")
    String target;

    @Parameters(
        index = "1",
        paramLabel = "<source>",
        description =
            "With --incremental: a backup folder (LocalFolderName, or one database's"
                + " folder in it), s3://bucket/prefix or glacier://vault. Without: one dump"
                + " file.")
    String source;

    @Mixin RemoteOptions remote;

    @Mixin EncryptionKeyOptions encryption;

    @Option(
        names = "--database",
        required = true,
        paramLabel = "<name>",
        description =
            "The database to restore into. A missing one is built aside and appears only when"
                + " the whole restore succeeded.")
    String database;

    @Option(names = "--incremental", description = "Restore a whole chain: full + incrementals.")
    boolean incremental;

    @Option(
        names = "--until",
        paramLabel = "<time|file>",
        description =
            "Point in time: stop at the last file created at or before this UTC time"
                + " (e.g. 2026-11-28T14:43:00Z), or at this file name.")
    String until;

    @Option(
        names = "--source-database",
        paramLabel = "<name>",
        description = "Which database's backups to restore when <source> holds several.")
    String sourceDatabase;

    final ProgressListener progress = new ProgressListener();

    @Option(
        names = "--into-existing",
        description =
            "Allow restoring a chain of logical files into a database that already holds"
                + " documents (a snapshot chain restores only into a new database).")
    boolean intoExisting;

    @Option(
        names = "--plan",
        description =
            "Print what the restore reads and what getting it back takes: each file's size,"
                + " storage class and whether it is readable now, restored, being restored or"
                + " must be requested, the wait and cost per retrieval tier. Reads no backup"
                + " data, requests nothing, changes nothing; <target> is not touched.")
    boolean plan;

    @Option(
        names = "--prices",
        paramLabel = "<file>",
        description =
            "A price table for --plan (JSON of the built-in table's shape, see the README),"
                + " for another region or your own prices.")
    Path prices;

    @Override
    public Integer call() throws Exception {
      if (plan) {
        return printPlan();
      }
      if (target.startsWith("http://") || target.startsWith("https://")) {
        return ServerCommand.RestoreThroughServer.run(this); // a running 'pbk server'
      }
      try (SqliteStore store = new SqliteStore(Path.of(target))) {
        if (!store.exists(database)) {
          // A new database is built aside and appears only once the whole restore succeeded.
          return restore(store.newDatabaseTarget(database), encryption.keys());
        }
        SqliteDatabase db = store.open(database);
        if (!intoExisting && (db.documentCount() > 0 || db.attachmentCount() > 0)) {
          throw new ConfigurationException(
              "database '"
                  + database
                  + "' in "
                  + target
                  + " already holds "
                  + db.documentCount()
                  + " documents and "
                  + db.attachmentCount()
                  + " attachments; restore into a new database, or pass --into-existing to apply"
                  + " the backups over them");
        }
        return restore(db, encryption.keys(db));
      }
    }

    private int restore(RestoreTarget db, EncryptionKeys keys) throws IOException {
      ChainRestorer restorer =
          new ChainRestorer(
              progress,
              ChainRestorer.DEFAULT_BATCH_OPERATIONS,
              ChainRestorer.DEFAULT_BATCH_BYTES,
              keys);
      RestoreResult result =
          incremental ? restoreChain(restorer, db) : restoreFile(restorer, db, Path.of(source));
      boolean image = result.files().get(0).file().isImage();
      System.out.printf(
          "restored %d file(s) into '%s'%s: %d documents, %d attachments,"
              + " %d deletions applied; source etag %d%n",
          result.files().size(),
          database,
          image
              ? " from a snapshot image" + (result.files().size() > 1 ? " and incrementals" : "")
              : "",
          result.documents(),
          result.attachments(),
          result.deletions(),
          result.toEtag());
      System.out.println(result.content().describe());
      return 0;
    }

    private RestoreResult restoreChain(ChainRestorer restorer, RestoreTarget db)
        throws IOException {
      if (Files.isRegularFile(Path.of(source))) {
        throw new ConfigurationException(
            "--incremental needs a backup folder, but "
                + source
                + " is a file; drop --incremental to import one dump file");
      }
      try (BackupSource backups =
          BackupSource.open(
              source, sourceDatabase, remote, Workspace.discoverDestinations(), progress)) {
        RestorePlan plan = restorer.plan(backups.destination(), request(backups));
        return restorer.restore(backups.destination(), plan, db);
      }
    }

    private RestoreRequest request(BackupSource backups) {
      RestoreRequest request = new RestoreRequest(backups.database(), backups.prefix(), null, null);
      if (until != null) {
        request =
            parseInstant(until) != null
                ? request.until(parseInstant(until))
                : request.untilFile(until);
      }
      return request;
    }

    /** {@code --plan}: the chain's files, their states, waits and costs; nothing else. */
    private int printPlan() throws IOException {
      if (!incremental) {
        throw new ConfigurationException(
            "--plan plans the restore of a chain: add --incremental (a single dump file is a"
                + " local file, read at once)");
      }
      RestorePlanPrinter printer = new RestorePlanPrinter(prices, System.out);
      try (BackupSource backups =
          BackupSource.open(
              source, sourceDatabase, remote, Workspace.discoverDestinations(), progress)) {
        printer.print(
            backups.destination(),
            new ChainRestorer(encryption.keys())
                .planFromListing(backups.destination(), request(backups)));
      }
      printer.printNothingChanged();
      return 0;
    }

    private RestoreResult restoreFile(ChainRestorer restorer, RestoreTarget db, Path file)
        throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new ConfigurationException(
            source
                + " is a folder; pass --incremental to restore"
                + " the chain it holds, or give one dump file");
      }
      Path absolute = file.toAbsolutePath();
      try (FilesystemDestination destination = new FilesystemDestination(absolute.getParent())) {
        return restorer.restoreFile(destination, absolute.getFileName().toString(), db);
      }
    }

    static Instant parseInstant(String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /**
   * {@code pbk smuggler out <data-dir|url> <file> --database=foo}: one full dump of a database,
   * from one consistent snapshot, written to {@code file} (outside any chain; the status document
   * is not touched). {@code smuggler in <data-dir> <file> --database=…} imports it.
   */
  @Command(
      name = "out",
      description = {
        "Export a whole database to one dump file, from a data folder or a running pbk server."
      })
  static final class Out implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "<source>",
        description =
            "The data folder of the database, or a running server's URL"
                + " (http://127.0.0.1:8080; API key from $PBK_API_KEY).")
    String source;

    @Parameters(index = "1", paramLabel = "<file>", description = "Where to write the dump.")
    Path file;

    @Option(
        names = "--database",
        required = true,
        paramLabel = "<name>",
        description = "The database to export.")
    String database;

    @Override
    public Integer call() throws Exception {
      if (source.startsWith("http://") || source.startsWith("https://")) {
        new ServerClient(source, System.getenv(ServerCommand.API_KEY_ENV)).exportTo(database, file);
        System.out.printf(
            "exported '%s' from %s to %s (%,d bytes)%n", database, source, file, Files.size(file));
        return 0;
      }
      if (!Files.isDirectory(Path.of(source))) {
        throw new ConfigurationException("data folder " + source + " does not exist");
      }
      try (SqliteStore store = new SqliteStore(Path.of(source))) {
        DumpHeader header =
            FullExport.write(
                store.open(database), file, DumpCompression.defaults(), Clock.systemUTC());
        System.out.printf(
            "exported '%s' up to etag %d to %s (%,d bytes)%n",
            database, header.toEtag(), file, Files.size(file));
        return 0;
      }
    }
  }
}
