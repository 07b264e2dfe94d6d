package org.periodicbackups.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pbk put-attachment}, {@code get-attachment} and {@code delete-attachment}. */
final class AttachmentCommands {
  private AttachmentCommands() {}

  /** {@code pbk put-attachment}: store a file as an attachment, streamed. */
  @Command(name = "put-attachment", description = "Put an attachment from a file.")
  static final class Put implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Parameters(index = "0", paramLabel = "<key>")
    String key;

    @Parameters(index = "1", paramLabel = "<file>")
    Path file;

    @Option(
        names = "--metadata",
        paramLabel = "<json>",
        defaultValue = "{}",
        description = "Metadata, a JSON object (default: {}).")
    String metadata;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace();
          InputStream in = Files.newInputStream(file)) {
        long etag = workspace.database(database.name).putAttachment(key, metadata, in);
        System.out.println(
            "put attachment " + key + " (" + Files.size(file) + " bytes, etag " + etag + ")");
        return 0;
      }
    }
  }

  /** {@code pbk get-attachment}: write an attachment's content to a file or standard output. */
  @Command(name = "get-attachment", description = "Write an attachment to a file or stdout.")
  static final class Get implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Parameters(index = "0", paramLabel = "<key>")
    String key;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "<file>",
        description = "Where to write it (default: standard output).")
    Path output;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace()) {
        SqliteDatabase db = workspace.database(database.name);
        Optional<InputStream> content = db.openAttachment(key);
        if (content.isEmpty()) {
          System.err.println(
              "pbk: no attachment '" + key + "' in database '" + database.name + "'");
          return ErrorReporter.FAILED;
        }
        try (InputStream in = content.get()) {
          if (output == null) {
            in.transferTo(System.out);
            System.out.flush();
          } else {
            try (OutputStream out = Files.newOutputStream(output)) {
              in.transferTo(out);
            }
          }
        }
        return 0;
      }
    }
  }

  /** {@code pbk delete-attachment}. */
  @Command(name = "delete-attachment", description = "Delete an attachment.")
  static final class Delete implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Parameters(index = "0", paramLabel = "<key>")
    String key;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace()) {
        boolean existed = workspace.database(database.name).deleteAttachment(key);
        System.out.println(
            existed ? "deleted attachment " + key : "no attachment '" + key + "'; nothing deleted");
        return 0;
      }
    }
  }
}
