package org.periodicbackups.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.periodicbackups.core.backup.FullExport;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * {@code GET /databases/{db}/export}: one full dump of the database, as {@code smuggler out
 * http://…} saves it. Written from one snapshot to a temporary file first, so that the response
 * carries its length and a failed export sends an error rather than a cut-off file.
 */
final class ExportRoutes {
  private final Databases databases;

  ExportRoutes(Databases databases) {
    this.databases = databases;
  }

  void register(RoutesConfig routes) {
    routes.get("/databases/{db}/export", this::export);
  }

  private void export(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    Path folder = Files.createTempDirectory("pbk-export-");
    Path file = folder.resolve("export.json.gz");
    try {
      FullExport.write(database, file, DumpCompression.defaults(), Clock.systemUTC());
      ctx.status(200)
          .contentType("application/gzip")
          .header(
              "Content-Disposition",
              "attachment; filename=\"" + database.databaseName() + ".json.gz\"")
          .header("Content-Length", Long.toString(Files.size(file)));
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(ctx.outputStream());
      }
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(folder);
    }
  }
}
