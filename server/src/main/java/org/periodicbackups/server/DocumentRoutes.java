package org.periodicbackups.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * {@code /databases/{db}/docs/<key>} (keys may contain {@code /}): GET answers {@code {Key, Etag,
 * Metadata, Body}}; PUT takes {@code {"Metadata": {…}, "Body": {…}}}; DELETE leaves a tombstone for
 * the next incremental backup. System documents ({@code Raven/…}) are written through their own
 * endpoints only.
 */
final class DocumentRoutes {
  private final Databases databases;
  private final JsonBodies bodies;

  DocumentRoutes(Databases databases, JsonBodies bodies) {
    this.databases = databases;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/databases/{db}/docs/<key>", this::get);
    routes.put("/databases/{db}/docs/<key>", this::put);
    routes.delete("/databases/{db}/docs/<key>", this::delete);
  }

  private void get(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    String key = ctx.pathParam("key");
    Document document =
        database
            .getDocument(key)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no document '" + key + "' in database '" + database.databaseName() + "'"));
    ObjectNode body = JsonBodies.object();
    body.put("Key", document.key());
    body.put("Etag", document.etag());
    body.set("Metadata", JsonBodies.tree(document.metadataJson()));
    body.set("Body", JsonBodies.tree(document.bodyJson()));
    JsonBodies.write(ctx, 200, body);
  }

  private void put(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    String key = requireUserKey(ctx.pathParam("key"));
    JsonNode request = bodies.object(ctx);
    if (!request.has("Body")) {
      throw ApiException.badRequest("Body: missing; send {\"Metadata\": {…}, \"Body\": {…}}");
    }
    long etag =
        database.putDocument(
            key,
            JsonBodies.objectText(request, "Metadata"),
            JsonBodies.objectText(request, "Body"));
    ObjectNode body = JsonBodies.object();
    body.put("Key", key);
    body.put("Etag", etag);
    JsonBodies.write(ctx, 200, body);
  }

  private void delete(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    String key = requireUserKey(ctx.pathParam("key"));
    if (!database.deleteDocument(key)) {
      throw ApiException.notFound(
          "no document '" + key + "' in database '" + database.databaseName() + "'");
    }
    ctx.status(204);
  }

  private static String requireUserKey(String key) {
    if (SystemDocuments.isSystemKey(key)) {
      throw ApiException.badRequest(
          "'"
              + key
              + "' is a system document; write the setup with"
              + " PUT /databases/{db}/setup");
    }
    return key;
  }
}
