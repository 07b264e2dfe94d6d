package org.periodicbackups.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.periodicbackups.core.scheduler.BundleActivation;
import org.periodicbackups.store.sqlite.SecuredSettingNames;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * {@code /databases}: list, create (with settings and the Periodic Backups bundle), describe and
 * delete databases; {@code /server}: what holds for every database.
 */
final class DatabaseRoutes {
  private final ServerContext context;
  private final Databases databases;
  private final JsonBodies bodies;

  DatabaseRoutes(ServerContext context, Databases databases, JsonBodies bodies) {
    this.context = context;
    this.databases = databases;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/server", this::server);
    routes.get("/databases", this::list);
    routes.post("/databases", this::create);
    routes.get("/databases/{db}", ctx -> JsonBodies.write(ctx, 200, describe(databases.of(ctx))));
    routes.delete("/databases/{db}", this::delete);
  }

  private void server(Context ctx) throws IOException {
    ObjectNode body = JsonBodies.object();
    body.put("BundleName", BundleActivation.BUNDLE_NAME);
    body.put("PeriodicBackupsActiveGlobally", context.activation().isGloballyActive());
    JsonBodies.write(ctx, 200, body);
  }

  private void list(Context ctx) throws IOException {
    ArrayNode list = JsonBodies.MAPPER.createArrayNode();
    for (String name : context.store().list()) {
      list.add(describe(context.store().open(name)));
    }
    JsonBodies.write(ctx, 200, list);
  }

  /**
   * {@code {"Name": "shop", "PeriodicBackups": true, "Settings": {"k": "v"}}}; credentials are
   * refused here and set afterwards as secured settings.
   */
  private void create(Context ctx) throws IOException {
    JsonNode body = bodies.object(ctx);
    String name = JsonBodies.optionalText(body, "Name");
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest("Name: a database needs a name");
    }
    Map<String, String> settings = settingsOf(body);
    if (body.path("PeriodicBackups").asBoolean(false)) {
      String bundles = settings.getOrDefault(BundleActivation.ACTIVE_BUNDLES_SETTING, "");
      if (!BundleActivation.listsBundle(bundles)) {
        settings.put(
            BundleActivation.ACTIVE_BUNDLES_SETTING,
            bundles.isBlank()
                ? BundleActivation.BUNDLE_NAME
                : bundles + ";" + BundleActivation.BUNDLE_NAME);
      }
    }
    SqliteDatabase database = context.store().create(name, settings);
    context.events().created(database);
    JsonBodies.write(ctx, 201, describe(database));
  }

  private static Map<String, String> settingsOf(JsonNode body) {
    Map<String, String> settings = new LinkedHashMap<>();
    JsonNode given = body.get("Settings");
    if (given == null || given.isNull()) {
      return settings;
    }
    if (!given.isObject()) {
      throw ApiException.badRequest("Settings: must be an object of names and string values");
    }
    for (Map.Entry<String, JsonNode> entry : given.properties()) {
      if (!entry.getValue().isTextual()) {
        throw ApiException.badRequest(
            "Settings: the value of '" + entry.getKey() + "' must be a string");
      }
      if (SecuredSettingNames.mustBeSecured(entry.getKey())) {
        throw ApiException.badRequest(
            "Settings: '"
                + entry.getKey()
                + "' holds a credential; "
                + SecuredSettingNames.RULE
                + ": create the database, then PUT it to"
                + " /databases/{db}/secured-settings/"
                + entry.getKey());
      }
      settings.put(entry.getKey(), entry.getValue().asText());
    }
    return settings;
  }

  private void delete(Context ctx) throws IOException {
    String name = ctx.pathParam("db");
    databases.of(ctx); // 404 before telling the daemon anything
    context.events().deleting(name);
    context.store().delete(name);
    ctx.status(204);
  }

  private ObjectNode describe(SqliteDatabase database) throws IOException {
    ObjectNode body = JsonBodies.object();
    body.put("Name", database.databaseName());
    body.put("Documents", database.documentCount());
    body.put("Attachments", database.attachmentCount());
    body.put("LastEtag", database.lastEtag());
    body.put("PeriodicBackups", context.activation().isActiveFor(database));
    body.put("PeriodicBackupsActiveGlobally", context.activation().isGloballyActive());
    return body;
  }
}
