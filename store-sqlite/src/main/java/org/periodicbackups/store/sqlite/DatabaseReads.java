package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.source.AttachmentConsumer;
import org.periodicbackups.api.source.IoConsumer;

/**
 * Reads of the committed state of one database: a document or an attachment by key, every document
 * or attachment in key order, their numbers. Each read runs in a read transaction of its own on a
 * pooled connection, so it never blocks writers. The contract of each method is that of the {@link
 * SqliteDatabase} method that calls it.
 */
final class DatabaseReads {
  private final DatabaseConnections connections;
  private final Path file;

  DatabaseReads(DatabaseConnections connections) {
    this.connections = connections;
    this.file = connections.file();
  }

  /** A document by key, system documents included. */
  Optional<Document> document(String key) throws IOException {
    Keys.requireValid(key, "document");
    return connections.read(
        "read document '" + key + "'",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT key, etag, metadata, body FROM documents WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next()
                  ? Optional.of(
                      new Document(
                          rows.getString(1), rows.getLong(2), rows.getString(3), rows.getString(4)))
                  : Optional.empty();
            }
          }
        });
  }

  /** An attachment's key, etag, metadata and size. */
  Optional<AttachmentInfo> attachmentInfo(String key) throws IOException {
    Keys.requireValid(key, "attachment");
    return connections.read(
        "read attachment '" + key + "'", connection -> attachmentInfo(connection, key));
  }

  /**
   * An attachment's content, read in a transaction that stays open, holding its connection, until
   * the stream is closed.
   */
  Optional<InputStream> openAttachment(String key) throws IOException {
    Keys.requireValid(key, "attachment");
    connections.checkOpen();
    Connection connection = connections.readers().borrow();
    try {
      SqliteFiles.execute(connection, "BEGIN");
      Optional<AttachmentInfo> info = attachmentInfo(connection, key);
      if (info.isEmpty()) {
        connections.endRead(connection);
        return Optional.empty();
      }
      return Optional.of(
          AttachmentChunks.ChunkReader.open(
              connection,
              info.get().etag(),
              "database file " + file + ", attachment '" + key + "'",
              () -> connections.endRead(connection)));
    } catch (SQLException | RuntimeException e) {
      connections.readers().discard(connection);
      throw new IOException(
          "database file " + file + ": cannot open attachment '" + key + "': " + e.getMessage(), e);
    }
  }

  /** Every non-system document, in key order. */
  void forEachDocument(IoConsumer<Document> consumer) throws IOException {
    requireNonNull(consumer, "consumer is null");
    connections.read(
        "stream documents",
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT key, etag, metadata,"
                          + " body FROM documents WHERE "
                          + Keys.NOT_SYSTEM
                          + " ORDER BY key");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              consumer.accept(
                  new Document(
                      rows.getString(1), rows.getLong(2), rows.getString(3), rows.getString(4)));
            }
          }
          return null;
        });
  }

  /** Every attachment with its content, in key order. */
  void forEachAttachment(AttachmentConsumer consumer) throws IOException {
    requireNonNull(consumer, "consumer is null");
    connections.read(
        "stream attachments",
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT key, etag, metadata, size FROM attachments ORDER BY key");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              AttachmentInfo info =
                  new AttachmentInfo(
                      rows.getString(1), rows.getLong(2), rows.getString(3), rows.getLong(4));
              try (InputStream content =
                  AttachmentChunks.ChunkReader.open(
                      connection,
                      info.etag(),
                      "database file " + file + ", attachment '" + info.key() + "'",
                      () -> {})) {
                consumer.accept(info, content);
              }
            }
          }
          return null;
        });
  }

  /** The number of non-system documents. */
  long documentCount() throws IOException {
    return count("SELECT count(*) FROM documents WHERE " + Keys.NOT_SYSTEM, "count documents");
  }

  /** The number of attachments. */
  long attachmentCount() throws IOException {
    return count("SELECT count(*) FROM attachments", "count attachments");
  }

  private static Optional<AttachmentInfo> attachmentInfo(Connection connection, String key)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT key, etag, metadata, size FROM attachments WHERE key = ?")) {
      select.setString(1, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next()
            ? Optional.of(
                new AttachmentInfo(
                    rows.getString(1), rows.getLong(2), rows.getString(3), rows.getLong(4)))
            : Optional.empty();
      }
    }
  }

  private long count(String sql, String what) throws IOException {
    return connections.read(
        what,
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(sql);
              ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }
}
