package org.periodicbackups.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import org.periodicbackups.store.sqlite.SecuredSettingNames;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * Database settings. GET {@code /databases/{db}/settings} answers the plain settings with their
 * values and the names of the secured ones, never their values. PUT {@code
 * /databases/{db}/settings/<name>} sets a plain setting; PUT {@code
 * /databases/{db}/secured-settings/<name>} sets a secured one (write-only); DELETE {@code
 * /databases/{db}/settings/<name>} removes either. Bodies are {@code {"Value": "…"}}.
 */
final class SettingRoutes {
  private final Databases databases;
  private final JsonBodies bodies;

  SettingRoutes(Databases databases, JsonBodies bodies) {
    this.databases = databases;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/databases/{db}/settings", this::list);
    routes.put("/databases/{db}/settings/<name>", this::putPlain);
    routes.put("/databases/{db}/secured-settings/<name>", this::putSecured);
    routes.delete("/databases/{db}/settings/<name>", this::remove);
    routes.delete("/databases/{db}/secured-settings/<name>", this::remove);
  }

  private void list(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    ObjectNode body = JsonBodies.object();
    ObjectNode plain = body.putObject("Settings");
    database.settings().forEach(plain::put);
    database.securedSettingNames().forEach(body.putArray("Secured")::add);
    JsonBodies.write(ctx, 200, body);
  }

  private void putPlain(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    String name = ctx.pathParam("name");
    if (SecuredSettingNames.mustBeSecured(name)) {
      throw ApiException.badRequest(
          "'"
              + name
              + "' holds a credential; "
              + SecuredSettingNames.RULE
              + ": PUT it to /databases/{db}/secured-settings/"
              + name);
    }
    database.putSetting(name, value(ctx));
    ctx.status(204);
  }

  private void putSecured(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    database.putSecuredSetting(ctx.pathParam("name"), value(ctx));
    ctx.status(204);
  }

  private void remove(Context ctx) throws IOException {
    databases.of(ctx).removeSetting(ctx.pathParam("name"));
    ctx.status(204);
  }

  private String value(Context ctx) throws IOException {
    JsonNode body = bodies.object(ctx);
    String value = JsonBodies.optionalText(body, "Value");
    if (value == null) {
      throw ApiException.badRequest("Value: missing; send {\"Value\": \"…\"}");
    }
    return value;
  }
}
