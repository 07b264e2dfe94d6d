package org.periodicbackups.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.config.Json;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationReport;
import org.periodicbackups.core.destination.ResolvedDestinations;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.RestoreDrill;
import org.periodicbackups.core.restore.RestoreListener;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * Periodic backups of one database: the setup document ({@code GET/PUT /databases/{db}/setup},
 * validated, with one error per field), the status document ({@code GET …/status}), "back up now"
 * ({@code POST …/backup?full=true|false}) and where files go ({@code GET …/destinations}).
 */
final class BackupRoutes {
  private final ServerContext context;
  private final Databases databases;
  private final JsonBodies bodies;

  BackupRoutes(ServerContext context, Databases databases, JsonBodies bodies) {
    this.context = context;
    this.databases = databases;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/databases/{db}/setup", this::getSetup);
    routes.put("/databases/{db}/setup", this::putSetup);
    routes.get("/databases/{db}/status", this::getStatus);
    routes.post("/databases/{db}/backup", this::backUpNow);
    routes.post("/databases/{db}/drill", this::drill);
    routes.get("/databases/{db}/destinations", this::destinations);
  }

  private void getSetup(Context ctx) throws IOException {
    JsonBodies.write(ctx, 200, JsonBodies.tree(setupJson(databases.of(ctx))));
  }

  /**
   * Validates every field, that the destinations exist and that their options are valid (each is
   * opened, no request is sent) before writing anything.
   */
  private void putSetup(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    PeriodicBackupSetup setup = SetupDocuments.parse(bodies.text(ctx));
    report(database, setup);
    String json = SetupDocuments.toJson(setup);
    database.putSystemDocument(SetupDocuments.KEY, json);
    JsonBodies.write(ctx, 200, JsonBodies.tree(json));
  }

  private void getStatus(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    String json =
        database
            .getSystemDocument(StatusDocuments.KEY)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "database '" + database.databaseName() + "' has not been backed up yet"));
    // Parsed and written again so that the answer is the documented shape, whatever the file.
    JsonBodies.write(
        ctx, 200, JsonBodies.tree(StatusDocuments.toJson(StatusDocuments.parse(json))));
  }

  /** An operator's explicit run: works with or without the bundle and despite Disabled. */
  private void backUpNow(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    boolean full = Boolean.parseBoolean(ctx.queryParam("full"));
    BackupOutcome outcome = context.engine().run(database, new BackupRequest(full, true));
    ObjectNode body = JsonBodies.object();
    body.put("Database", outcome.database());
    body.put("Result", outcome.result().name());
    body.put("Message", outcome.message());
    outcome.backup().ifPresent(record -> body.set("Backup", Json.mapper().valueToTree(record)));
    outcome.destinations().forEach(body.putArray("Destinations")::add);
    JsonBodies.write(
        ctx, outcome.result() == BackupOutcome.Result.ALREADY_RUNNING ? 409 : 200, body);
  }

  /**
   * A restore drill now (see {@link Drills}), answered when it ends: 200 with the {@code LastDrill}
   * record (whose {@code Result} may be {@code Failed}), 409 while a backup of the database runs. A
   * drill of cold storage waits for its retrievals.
   */
  private void drill(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    PeriodicBackupSetup setup = SetupDocuments.parse(setupJson(database));
    EncryptionKeys keys;
    try {
      keys = EncryptionKeys.ownKey(database);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    ObjectNode body = JsonBodies.object();
    body.put("Database", database.databaseName());
    try {
      Drills.Outcome outcome =
          Drills.run(
                  context.resolver().registry(),
                  database,
                  setup,
                  keys,
                  null,
                  RestoreListener.NONE,
                  WaitListener.NONE,
                  false)
              .orElseThrow();
      body.put("From", outcome.from());
      body.set("Drill", Json.mapper().valueToTree(outcome.record()));
      JsonBodies.write(ctx, 200, body);
    } catch (RestoreDrill.BackupRunning e) {
      body.put("Error", e.getMessage());
      JsonBodies.write(ctx, 409, body);
    }
  }

  private static String setupJson(SqliteDatabase database) throws IOException {
    return database
        .getSystemDocument(SetupDocuments.KEY)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "database '" + database.databaseName() + "' has no periodic backup setup yet"));
  }

  private void destinations(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    DestinationReport report = report(database, SetupDocuments.parse(setupJson(database)));
    ResolvedDestinations resolved = report.resolved();
    ObjectNode body = JsonBodies.object();
    body.put("Remote", resolved.remote().map(DestinationProvider::name).orElse(null));
    body.put("LocalCopy", resolved.localCopy().map(DestinationProvider::name).orElse(null));
    ArrayNode order = body.putArray("UploadOrder");
    resolved.inUploadOrder().forEach(provider -> order.add(provider.name()));
    resolved.ignored().forEach(body.putArray("Ignored")::add);
    ObjectNode locations = body.putObject("Locations");
    report.locations().forEach((name, where) -> where.forEach(locations.putObject(name)::put));
    report.unused().forEach(body.putArray("Unused")::add);
    JsonBodies.write(ctx, 200, body);
  }

  private DestinationReport report(SqliteDatabase database, PeriodicBackupSetup setup)
      throws IOException {
    return DestinationReport.of(
        context.resolver().registry(),
        new DestinationContext(database.databaseName(), setup, database::setting));
  }
}
