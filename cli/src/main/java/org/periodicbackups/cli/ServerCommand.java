package org.periodicbackups.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestorePlan;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.VerifiedFile;
import org.periodicbackups.server.DatabaseEvents;
import org.periodicbackups.server.PbkServer;
import org.periodicbackups.server.ServerClient;
import org.periodicbackups.server.ServerContext;
import org.periodicbackups.server.ServerOptions;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pbk server}: the daemon of {@code pbk run} plus the HTTP API and the Studio page. It
 * listens on 127.0.0.1 unless {@code --bind} says otherwise, and refuses to listen beyond this
 * machine without an API key. Databases created or deleted through the API are scheduled or
 * forgotten at once; other changes are picked up at the next scan, as with {@code pbk run}.
 */
@Command(
    name = "server",
    description = {
      "Run periodic backups (as 'pbk run') and serve the HTTP API and the Studio page",
      "(http://127.0.0.1:8080/ by default) until stopped (SIGTERM or Ctrl-C)."
    })
final class ServerCommand implements Callable<Integer> {
  /** The environment variable that holds the API key (safer than the command line). */
  static final String API_KEY_ENV = "PBK_API_KEY";

  @Spec CommandSpec spec;

  @Option(
      names = "--bind",
      paramLabel = "<address>",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}); another than loopback"
              + " needs an API key.")
  String bind;

  @Option(
      names = "--port",
      paramLabel = "<port>",
      defaultValue = "8080",
      description = "Port to listen on (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--api-key",
      paramLabel = "<key>",
      description =
          "Key every request must send in X-Api-Key; prefer $"
              + API_KEY_ENV
              + ", which other users cannot see in the process list.")
  String apiKey;

  @Option(
      names = "--max-body-size",
      paramLabel = "<size>",
      defaultValue = "16MiB",
      converter = SizeConverter.class,
      description = "Largest JSON request body (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(
      names = "--max-stream-size",
      paramLabel = "<size>",
      defaultValue = "1GiB",
      converter = SizeConverter.class,
      description = "Largest attachment or bulk-import dump (default: ${DEFAULT-VALUE}).")
  long maxStreamBytes;

  @Mixin Daemon.Options daemonOptions = new Daemon.Options();

  @Override
  public Integer call() throws Exception {
    // Checked before anything starts: no key beyond loopback is a configuration error (exit 3).
    ServerOptions options =
        new ServerOptions(
            bind,
            port,
            apiKey != null ? apiKey : System.getenv(API_KEY_ENV),
            maxBodyBytes,
            maxStreamBytes);
    return new Daemon("pbk server", daemonOptions)
        .run(
            spec,
            (daemon, workspace, engine, resolver, activation) ->
                PbkServer.start(
                    options,
                    new ServerContext(
                        workspace.store(),
                        engine,
                        resolver,
                        activation,
                        new DaemonEvents(daemon),
                        daemon::scrapeMetrics)));
  }

  /** Databases created or deleted through the API, applied without waiting for a scan. */
  private static final class DaemonEvents implements DatabaseEvents {
    private final Daemon daemon;

    DaemonEvents(Daemon daemon) {
      this.daemon = daemon;
    }

    @Override
    public void created(SqliteDatabase database) {
      daemon.track(database);
    }

    @Override
    public void deleting(String name) {
      try {
        daemon.forget(name);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * {@code smuggler in http://host:port <source> --database=foo [--incremental]}: the chain is
   * planned and verified here, reading the local (or remote) backups, and then each file is
   * streamed, in order, to the server's bulk import, which checks and applies it. Resumable from
   * the last fully applied file: the server lists the files it applied, and when they are the start
   * of this chain (same names, same SHA-256) they are skipped.
   */
  static final class RestoreThroughServer {
    private RestoreThroughServer() {}

    static int run(SmugglerCommand.In in) throws IOException {
      ServerClient client = new ServerClient(in.target, System.getenv(API_KEY_ENV));
      Optional<JsonNode> existing = client.database(in.database);
      if (!in.incremental) {
        refuseIfNotEmpty(in, existing);
        if (existing.isEmpty()) {
          client.createDatabase(in.database);
        }
        Path file = Path.of(in.source).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
          throw new ConfigurationException(
              in.source
                  + " is a folder; pass --incremental to"
                  + " restore the chain it holds, or give one dump file");
        }
        JsonNode result =
            client.importFile(
                in.database,
                file.getFileName().toString(),
                () -> Files.newInputStream(file),
                in.encryption.keys());
        System.out.printf(
            "imported %s into '%s' at %s: %d documents, %d attachments,"
                + " %d deletions; source etag %d%n",
            file.getFileName(),
            in.database,
            in.target,
            result.path("Documents").asLong(),
            result.path("Attachments").asLong(),
            result.path("Deletions").asLong(),
            result.path("ToEtag").asLong());
        return 0;
      }
      try (BackupSource backups =
          BackupSource.open(
              in.source,
              in.sourceDatabase,
              in.remote,
              Workspace.discoverDestinations(),
              in.progress)) {
        EncryptionKeys keys = in.encryption.keys();
        ChainRestorer restorer =
            new ChainRestorer(
                in.progress,
                ChainRestorer.DEFAULT_BATCH_OPERATIONS,
                ChainRestorer.DEFAULT_BATCH_BYTES,
                keys);
        RestoreRequest request =
            new RestoreRequest(backups.database(), backups.prefix(), null, null);
        if (in.until != null) {
          request =
              SmugglerCommand.In.parseInstant(in.until) != null
                  ? request.until(SmugglerCommand.In.parseInstant(in.until))
                  : request.untilFile(in.until);
        }
        RestorePlan plan = restorer.plan(backups.destination(), request);
        // Refuses a broken chain before sending; its SHA-256s tell whether a resume fits.
        List<VerifiedFile> files = restorer.verify(backups.destination(), plan).files();
        int skip = 0;
        if (existing.isPresent()) {
          skip = alreadyApplied(in, client.importedFiles(in.database), files);
          if (skip == 0) {
            refuseIfNotEmpty(in, existing);
          }
        } else {
          client.createDatabase(in.database);
        }
        if (skip > 0) {
          System.out.printf(
              "resuming after %s (%d of %d files already applied)%n",
              files.get(skip - 1).file().storedName(), skip, files.size());
        }
        long documents = 0;
        long attachments = 0;
        long deletions = 0;
        long toEtag = skip > 0 ? files.get(skip - 1).header().toEtag() : 0;
        for (VerifiedFile file : files.subList(skip, files.size())) {
          String name = file.file().storedName();
          JsonNode result =
              client.importFile(in.database, name, () -> backups.destination().open(name), keys);
          documents += result.path("Documents").asLong();
          attachments += result.path("Attachments").asLong();
          deletions += result.path("Deletions").asLong();
          toEtag = result.path("ToEtag").asLong();
        }
        System.out.printf(
            "restored %d file(s) into '%s' at %s: %d documents, %d attachments,"
                + " %d deletions applied; source etag %d%n",
            files.size() - skip, in.database, in.target, documents, attachments, deletions, toEtag);
        return 0;
      }
    }

    /**
     * How many files at the start of {@code plan} the server already applied: all of {@code
     * applied} when it is a prefix of the plan (same names and SHA-256), else 0. Another chain's
     * files are refused, unless {@code --into-existing} asks to apply this one over them.
     */
    static int alreadyApplied(
        SmugglerCommand.In in, List<ServerClient.ImportedFile> applied, List<VerifiedFile> plan) {
      if (applied.isEmpty()) {
        return 0;
      }
      boolean prefix = applied.size() <= plan.size();
      for (int i = 0; prefix && i < applied.size(); i++) {
        prefix =
            applied.get(i).name().equals(plan.get(i).file().storedName())
                && applied.get(i).sha256().equalsIgnoreCase(plan.get(i).sha256());
      }
      if (prefix) {
        return applied.size();
      }
      if (!in.intoExisting) {
        throw new ConfigurationException(
            "database '"
                + in.database
                + "' at "
                + in.target
                + " already holds an import of other backups ("
                + applied.size()
                + " file(s), the"
                + " last "
                + applied.get(applied.size() - 1).name()
                + ") that is not the start of"
                + " this chain, so it cannot be resumed; restore into a new database, or pass"
                + " --into-existing to apply the backups over it");
      }
      return 0;
    }

    private static void refuseIfNotEmpty(SmugglerCommand.In in, Optional<JsonNode> existing) {
      if (existing.isPresent()
          && !in.intoExisting
          && (existing.get().path("Documents").asLong() > 0
              || existing.get().path("Attachments").asLong() > 0)) {
        throw new ConfigurationException(
            "database '"
                + in.database
                + "' at "
                + in.target
                + " already holds "
                + existing.get().path("Documents").asLong()
                + " documents and "
                + existing.get().path("Attachments").asLong()
                + " attachments; restore into a new"
                + " database, or pass --into-existing to apply the backups over them");
      }
    }
  }

  /** Sizes such as {@code 1048576}, {@code 512KiB}, {@code 16MiB} or {@code 1GiB}. */
  static final class SizeConverter implements ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|kib|mib|gib)");

    @Override
    public Long convert(String value) {
      Matcher matcher = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (!matcher.matches() || Long.parseLong(matcher.group(1)) < 1) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a size; use for example 1048576, 512KiB, 16MiB or 1GiB");
      }
      int shift =
          switch (matcher.group(2)) {
            case "kib" -> 10;
            case "mib" -> 20;
            case "gib" -> 30;
            default -> 0;
          };
      return Long.parseLong(matcher.group(1)) << shift;
    }
  }
}
