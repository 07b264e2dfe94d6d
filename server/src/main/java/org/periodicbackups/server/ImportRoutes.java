package org.periodicbackups.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * {@code POST /databases/{db}/import?name=<stored file name>}: the bulk import that
 * {@code smuggler in http://…} uses. The body, one dump file, is staged in a temporary folder,
 * read in full (format, checksum) and only then applied through the database's restore batches,
 * so a broken or cut-off upload changes nothing. The client sends the files of a chain in order
 * after checking the chain itself; the database is created if missing.
 */
final class ImportRoutes {
  private final Databases databases;
  private final JsonBodies bodies;

  ImportRoutes(Databases databases, JsonBodies bodies) {
    this.databases = databases;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/databases/{db}/import", this::importDump);
  }

  private void importDump(Context ctx) throws IOException {
    String name = ctx.queryParam("name");
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest("name: missing; give the dump's file name, e.g."
          + " ?name=shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz");
    }
    try {
      StoredNames.requireSafe(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("name: " + e.getMessage());
    }
    SqliteDatabase database = databases.store().openOrCreate(ctx.pathParam("db"));
    Path staging = Files.createTempDirectory("pbk-import-");
    try {
      Path file = staging.resolve(name).normalize();
      Files.createDirectories(file.getParent());
      try (InputStream in = bodies.stream(ctx); OutputStream out = Files.newOutputStream(file)) {
        in.transferTo(out);
      }
      RestoreResult result;
      try (FilesystemDestination destination = new FilesystemDestination(staging)) {
        result = new ChainRestorer().restoreFile(destination, name, database);
      }
      ObjectNode body = JsonBodies.object();
      body.put("File", name);
      body.put("Documents", result.documents());
      body.put("Attachments", result.attachments());
      body.put("Deletions", result.deletions());
      body.put("ToEtag", result.toEtag());
      JsonBodies.write(ctx, 200, body);
    } finally {
      deleteTree(staging);
    }
  }

  private static void deleteTree(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
