package org.periodicbackups.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * {@code /databases/{db}/attachments/<key>}: bytes streamed both ways, never held whole in memory.
 * The metadata travels in the {@code X-Attachment-Metadata} header (a JSON object).
 */
final class AttachmentRoutes {
  static final String METADATA_HEADER = "X-Attachment-Metadata";

  private final Databases databases;
  private final JsonBodies bodies;

  AttachmentRoutes(Databases databases, JsonBodies bodies) {
    this.databases = databases;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/databases/{db}/attachments/<key>", this::get);
    routes.put("/databases/{db}/attachments/<key>", this::put);
    routes.delete("/databases/{db}/attachments/<key>", this::delete);
  }

  private void get(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    String key = ctx.pathParam("key");
    AttachmentInfo info = database.getAttachmentInfo(key).orElseThrow(() -> missing(database, key));
    ctx.status(200).contentType("application/octet-stream");
    ctx.header(METADATA_HEADER, info.metadataJson());
    ctx.header("X-Etag", Long.toString(info.etag()));
    ctx.res().setContentLengthLong(info.size());
    try (InputStream in = database.openAttachment(key).orElseThrow(() -> missing(database, key));
        OutputStream out = ctx.outputStream()) {
      in.transferTo(out);
    }
  }

  private void put(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    String key = ctx.pathParam("key");
    String metadata = ctx.header(METADATA_HEADER);
    if (metadata == null || metadata.isBlank()) {
      metadata = "{}";
    } else if (!JsonBodies.tree(metadata).isObject()) {
      throw ApiException.badRequest(METADATA_HEADER + ": must be a JSON object {…}");
    }
    long etag;
    try (InputStream in = bodies.stream(ctx)) {
      etag = database.putAttachment(key, metadata, in);
    }
    ObjectNode body = JsonBodies.object();
    body.put("Key", key);
    body.put("Etag", etag);
    JsonBodies.write(ctx, 200, body);
  }

  private void delete(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    String key = ctx.pathParam("key");
    if (!database.deleteAttachment(key)) {
      throw missing(database, key);
    }
    ctx.status(204);
  }

  private static ApiException missing(SqliteDatabase database, String key) {
    return ApiException.notFound(
        "no attachment '" + key + "' in database '" + database.databaseName() + "'");
  }
}
