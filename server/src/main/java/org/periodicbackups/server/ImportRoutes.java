package org.periodicbackups.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.core.restore.VerifiedFile;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * {@code POST /databases/{db}/import?name=<stored file name>}: the bulk import that {@code smuggler
 * in http://…} uses. The body, one dump file, is staged in a temporary folder, read in full
 * (format, checksum) and only then applied through the database's restore batches, so a broken or
 * cut-off upload changes nothing. The client sends the files of a chain in order after checking the
 * chain itself; the database is created if missing.
 *
 * <p>Each file applied in full is recorded in the system document {@value #IMPORTED_KEY} ({@code
 * {"Files": [{"Name", "Sha256", "Database", "ToEtag"}, …]}}, in order), which {@code GET
 * /databases/{db}/import} answers: a restore cut off half-way resumes after the last file listed.
 *
 * <p>Encrypted files are read with the keys of the header {@value #KEYS_HEADER} (base64 keys
 * separated by commas, as {@code smuggler in} sends the keys it was given; used for that request
 * only, never stored, logged or echoed) and the target database's own secured setting {@code
 * PeriodicBackup/EncryptionKey}.
 */
final class ImportRoutes {
  /** The system document listing the files applied by the bulk import, in order. */
  static final String IMPORTED_KEY = "Raven/Smuggler/Imported";

  /** The request header that may carry the keys of encrypted dump files. */
  static final String KEYS_HEADER = "X-Encryption-Keys";

  private final Databases databases;
  private final JsonBodies bodies;

  ImportRoutes(Databases databases, JsonBodies bodies) {
    this.databases = databases;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/databases/{db}/import", this::importDump);
    routes.get("/databases/{db}/import", this::imported);
  }

  /** The files applied so far, in order; {@code {"Files": []}} before the first. */
  private void imported(Context ctx) throws IOException {
    SqliteDatabase database = databases.of(ctx);
    JsonBodies.write(ctx, 200, importedFiles(database));
  }

  private static ObjectNode importedFiles(SqliteDatabase database) throws IOException {
    ObjectNode body = JsonBodies.object();
    ArrayNode files = body.putArray("Files");
    Optional<String> json = database.getSystemDocument(IMPORTED_KEY);
    if (json.isPresent()) {
      JsonBodies.tree(json.get()).path("Files").forEach(files::add);
    }
    return body;
  }

  /**
   * Appends the file to {@value #IMPORTED_KEY}, after its last batch was committed. Not in the same
   * transaction: a crash between that commit and this write leaves the file unlisted, so a rerun
   * applies it again, which is harmless because applying a file is idempotent (each entry puts or
   * deletes by key, whatever the database holds). Importing the very file last listed again (same
   * name and bytes) does not list it twice.
   */
  private static synchronized void recordApplied(
      SqliteDatabase database, String name, VerifiedFile file) throws IOException {
    ObjectNode body = importedFiles(database);
    ArrayNode files = (ArrayNode) body.get("Files");
    JsonNode last = files.isEmpty() ? null : files.get(files.size() - 1);
    if (last != null
        && last.path("Name").asText().equals(name)
        && last.path("Sha256").asText().equals(file.sha256())) {
      return;
    }
    ObjectNode entry = files.addObject();
    entry.put("Name", name);
    entry.put("Sha256", file.sha256());
    entry.put("Database", file.header().database());
    entry.put("ToEtag", file.header().toEtag());
    database.putSystemDocument(IMPORTED_KEY, JsonBodies.MAPPER.writeValueAsString(body));
  }

  private void importDump(Context ctx) throws IOException {
    String name = ctx.queryParam("name");
    if (name == null || name.isBlank()) {
      throw ApiException.badRequest(
          "name: missing; give the dump's file name, e.g."
              + " ?name=shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz");
    }
    try {
      StoredNames.requireSafe(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("name: " + e.getMessage());
    }
    if (BackupFileName.parse(name).map(BackupFileName::image).orElse(false)) {
      throw ApiException.badRequest(
          name
              + " is a snapshot file (a physical image of a database): the server imports logical"
              + " files into a database it serves, and an image restores only into a new"
              + " database; restore the chain with 'pbk smuggler in <data-dir> <backup folder>"
              + " --incremental' while the server is stopped, or into another data folder");
    }
    EncryptionKeys offered = offeredKeys(ctx);
    SqliteDatabase database = databases.store().openOrCreate(ctx.pathParam("db"));
    EncryptionKeys keys = offered.and(ownKey(database));
    Path staging = Files.createTempDirectory("pbk-import-");
    try {
      Path file = staging.resolve(name).normalize();
      Files.createDirectories(file.getParent());
      try (InputStream in = bodies.stream(ctx);
          OutputStream out = Files.newOutputStream(file)) {
        in.transferTo(out);
      }
      RestoreResult result;
      try (FilesystemDestination destination = new FilesystemDestination(staging)) {
        result = new ChainRestorer(keys).restoreFile(destination, name, database);
      }
      recordApplied(database, name, result.verification().files().get(0));
      ObjectNode body = JsonBodies.object();
      body.put("File", name);
      body.put("Documents", result.documents());
      body.put("Attachments", result.attachments());
      body.put("Deletions", result.deletions());
      body.put("ToEtag", result.toEtag());
      JsonBodies.write(ctx, 200, body);
    } finally {
      Folders.deleteTree(staging);
    }
  }

  /** The keys of the request header; a malformed one is refused without repeating it. */
  private static EncryptionKeys offeredKeys(Context ctx) {
    String header = ctx.header(KEYS_HEADER);
    if (header == null || header.isBlank()) {
      return EncryptionKeys.none();
    }
    List<EncryptionKey> keys = new ArrayList<>();
    String[] values = header.strip().split("[,\\s]+");
    for (int i = 0; i < values.length; i++) {
      try {
        keys.add(
            EncryptionKey.parse(values[i], "header " + KEYS_HEADER + " (key " + (i + 1) + ")"));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
    }
    return EncryptionKeys.of(keys);
  }

  private static EncryptionKeys ownKey(SqliteDatabase database) throws IOException {
    try {
      return EncryptionKeys.ownKey(database);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
