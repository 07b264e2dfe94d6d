package org.periodicbackups.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.periodicbackups.api.model.Document;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pbk put}, {@code pbk get} and {@code pbk delete} for documents. */
final class DocumentCommands {
  private DocumentCommands() {}

  /** {@code pbk put}: write a document. */
  @Command(name = "put", description = "Put a JSON document.")
  static final class Put implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Parameters(index = "0", paramLabel = "<key>")
    String key;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Body body;

    static final class Body {
      @Option(names = "--body", paramLabel = "<json>", description = "The body, a JSON object.")
      String json;

      @Option(names = "--file", paramLabel = "<file>", description = "A file holding the body.")
      Path file;
    }

    @Option(
        names = "--metadata",
        paramLabel = "<json>",
        defaultValue = "{}",
        description = "Metadata, a JSON object (default: {}).")
    String metadata;

    @Override
    public Integer call() throws Exception {
      String json =
          body.json != null ? body.json : Files.readString(body.file, StandardCharsets.UTF_8);
      try (Workspace workspace = new Workspace()) {
        long etag = workspace.database(database.name).putDocument(key, metadata, json);
        System.out.println("put " + key + " (etag " + etag + ")");
        return 0;
      }
    }
  }

  /** {@code pbk get}: print a document with its metadata. */
  @Command(name = "get", description = "Print a document as {Key, Etag, Metadata, Body}.")
  static final class Get implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Parameters(index = "0", paramLabel = "<key>")
    String key;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace()) {
        Optional<Document> document = workspace.database(database.name).getDocument(key);
        if (document.isEmpty()) {
          System.err.println("pbk: no document '" + key + "' in database '" + database.name + "'");
          return ErrorReporter.FAILED;
        }
        Document found = document.get();
        System.out.println(
            "{\"Key\":"
                + JsonText.quote(found.key())
                + ",\"Etag\":"
                + found.etag()
                + ",\"Metadata\":"
                + found.metadataJson()
                + ",\"Body\":"
                + found.bodyJson()
                + "}");
        return 0;
      }
    }
  }

  /** {@code pbk delete}: delete a document. */
  @Command(name = "delete", description = "Delete a document.")
  static final class Delete implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Parameters(index = "0", paramLabel = "<key>")
    String key;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace()) {
        boolean existed = workspace.database(database.name).deleteDocument(key);
        System.out.println(
            existed ? "deleted " + key : "no document '" + key + "'; nothing deleted");
        return 0;
      }
    }
  }
}
