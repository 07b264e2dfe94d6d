package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The tables of a database file, created on first open. The version is kept in the {@code meta}
 * table so that a later release can migrate old files and an old release refuses newer ones.
 */
final class Schema {
  /** The schema this code reads and writes. */
  static final int CURRENT_VERSION = 3;

  /** Version 1: documents, attachments, tombstones, plain settings. */
  static final List<String> VERSION_1 =
      List.of(
          "CREATE TABLE etag_sequence (id INTEGER PRIMARY KEY CHECK (id = 1),"
              + " last_etag INTEGER NOT NULL)",
          "INSERT INTO etag_sequence (id, last_etag) VALUES (1, 0)",
          // TEXT keys compare with BINARY collation: case-sensitive. UNIQUE etag gives the index
          // that snapshots stream by.
          "CREATE TABLE documents (key TEXT PRIMARY KEY, etag INTEGER NOT NULL UNIQUE,"
              + " metadata TEXT NOT NULL, body TEXT NOT NULL)",
          "CREATE TABLE document_tombstones (key TEXT PRIMARY KEY, etag INTEGER NOT NULL UNIQUE)",
          "CREATE TABLE attachments (key TEXT PRIMARY KEY, etag INTEGER NOT NULL UNIQUE,"
              + " metadata TEXT NOT NULL, size INTEGER NOT NULL)",
          // Content is keyed by the attachment version's etag, so a replaced version's chunks are
          // distinct from the new ones and a snapshot reads the chunks of the version it sees.
          "CREATE TABLE attachment_chunks (attachment_etag INTEGER NOT NULL, seq INTEGER NOT NULL,"
              + " data BLOB NOT NULL, PRIMARY KEY (attachment_etag, seq))",
          "CREATE TABLE attachment_tombstones (key TEXT PRIMARY KEY, etag INTEGER NOT NULL UNIQUE)",
          "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)");

  /** Version 2 adds secured settings: values sealed by {@link SecretBox}, never plain text. */
  static final List<String> VERSION_2 =
      List.of("CREATE TABLE secured_settings (name TEXT PRIMARY KEY, value BLOB NOT NULL)");

  /**
   * Version 3 adds the content digest (see {@link ContentHashes}): an item hash per attachment row
   * (and a document column that stays NULL: a document's hash is derived from its row) and the sum;
   * a file of an older version gets them computed once, on open.
   */
  static final List<String> VERSION_3 =
      List.of(
          "ALTER TABLE documents ADD COLUMN hash BLOB",
          "ALTER TABLE attachments ADD COLUMN hash BLOB",
          "CREATE TABLE content_digest (id INTEGER PRIMARY KEY CHECK (id = 1),"
              + " digest TEXT NOT NULL, documents INTEGER NOT NULL, attachments INTEGER NOT NULL)");

  /** The statements that bring version {@code i} to {@code i + 1}. */
  private static final List<List<String>> MIGRATIONS = List.of(VERSION_1, VERSION_2, VERSION_3);

  private Schema() {}

  /**
   * Creates the tables if the file is new, migrates an older file to the current version, and fails
   * if the file's schema is newer than ours.
   */
  static void apply(Connection writer, Path file) throws IOException {
    try {
      SqliteFiles.execute(writer, "BEGIN IMMEDIATE");
      try {
        SqliteFiles.execute(
            writer, "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
        int version = readVersion(writer);
        if (version > CURRENT_VERSION) {
          throw new IOException(
              "database file "
                  + file
                  + " has schema version "
                  + version
                  + "; this release supports up to "
                  + CURRENT_VERSION);
        }
        if (version < CURRENT_VERSION) {
          for (List<String> migration : MIGRATIONS.subList(version, CURRENT_VERSION)) {
            for (String sql : migration) {
              SqliteFiles.execute(writer, sql);
            }
          }
          if (version < 3) {
            ContentHashes.fill(writer);
          }
          SqliteFiles.execute(
              writer,
              "INSERT INTO meta (name, value) VALUES ('schema_version', '"
                  + CURRENT_VERSION
                  + "') ON CONFLICT (name) DO UPDATE SET value = excluded.value");
        }
        SqliteFiles.execute(writer, "COMMIT");
      } catch (IOException | SQLException | RuntimeException e) {
        SqliteFiles.execute(writer, "ROLLBACK");
        throw e;
      }
    } catch (SQLException e) {
      throw new IOException(
          "database file " + file + ": cannot create or check the schema: " + e.getMessage(), e);
    }
  }

  private static int readVersion(Connection connection) throws SQLException, IOException {
    try (PreparedStatement select =
            connection.prepareStatement("SELECT value FROM meta WHERE name = 'schema_version'");
        ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        return 0;
      }
      String value = rows.getString(1);
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IOException("schema_version '" + value + "' is not a number", e);
      }
    }
  }
}
