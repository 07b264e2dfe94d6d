package org.periodicbackups.store.sqlite;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.periodicbackups.api.source.ContentDigest;

/**
 * The database's {@link ContentDigest}: kept in the {@code content_digest} row by every write
 * transaction (each attachment row keeps its own item hash, so a replaced or deleted attachment is
 * subtracted without reading its chunks again; a document's is derived from its row), filled once
 * for a file of an older schema, and computed afresh from the items themselves for a restore's
 * proof. See "Proof of recovery" in docs/DESIGN.md.
 */
final class ContentHashes {
  static final String SELECT =
      "SELECT digest, documents, attachments FROM content_digest WHERE id = 1";
  static final String UPDATE =
      "UPDATE content_digest SET digest = ?, documents = ?, attachments = ? WHERE id = 1";

  private ContentHashes() {}

  /** The digest kept in the file, read in {@code connection}'s current transaction. */
  static ContentDigest read(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT);
        ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        throw new SQLException("the content digest row is missing");
      }
      return digest(rows);
    }
  }

  /** The digest in the current row of {@code rows}; a damaged row is an SQLException. */
  static ContentDigest digest(ResultSet rows) throws SQLException {
    try {
      return new ContentDigest(
          rows.getLong("documents"), rows.getLong("attachments"), rows.getString("digest"));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new SQLException("the content digest row is damaged: " + e.getMessage(), e);
    }
  }

  /** Writes {@code content} to the row; inside the caller's write transaction. */
  static void write(Connection connection, ContentDigest content) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
      bind(update, content);
      update.executeUpdate();
    }
  }

  static void bind(PreparedStatement update, ContentDigest content) throws SQLException {
    update.setString(1, content.digest());
    update.setLong(2, content.documents());
    update.setLong(3, content.attachments());
  }

  /**
   * Computes every item's hash, stores each attachment's in its row and the sum in the {@code
   * content_digest} row: the one-time work of bringing a file of schema 2 to schema 3, inside the
   * migration's transaction.
   */
  static void fill(Connection connection) throws SQLException {
    ContentDigest content;
    try (PreparedStatement attachments =
        connection.prepareStatement("UPDATE attachments SET hash = ? WHERE key = ?")) {
      content = walk(connection, (key, hash) -> {}, (key, hash) -> store(attachments, key, hash));
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO content_digest (id, digest, documents, attachments) VALUES (1, ?, ?, ?)")) {
      bind(insert, content);
      insert.executeUpdate();
    }
  }

  /**
   * Computes the digest from the documents and attachment chunks themselves, ignoring every kept
   * hash, in {@code connection}'s current transaction.
   */
  static ContentDigest compute(Connection connection) throws SQLException {
    return walk(connection, (key, hash) -> {}, (key, hash) -> {});
  }

  @FunctionalInterface
  private interface HashSink {
    void accept(String key, byte[] hash) throws SQLException;
  }

  private static ContentDigest walk(Connection connection, HashSink documents, HashSink attachments)
      throws SQLException {
    ContentDigest.Sum sum = new ContentDigest.Sum();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT key, metadata, body FROM documents WHERE " + Keys.NOT_SYSTEM);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        String key = rows.getString(1);
        byte[] hash = ContentDigest.documentHash(key, rows.getString(2), rows.getString(3));
        documents.accept(key, hash);
        sum.addDocument(hash);
      }
    }
    try (PreparedStatement select =
            connection.prepareStatement("SELECT key, metadata, etag FROM attachments");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        String key = rows.getString(1);
        byte[] hash =
            ContentDigest.attachmentHash(
                key, rows.getString(2), contentSha256(connection, rows.getLong(3)));
        attachments.accept(key, hash);
        sum.addAttachment(hash);
      }
    }
    return sum.content();
  }

  private static byte[] contentSha256(Connection connection, long attachmentEtag)
      throws SQLException {
    MessageDigest sha256 = ContentDigest.sha256();
    try (PreparedStatement select = connection.prepareStatement(AttachmentChunks.SELECT)) {
      select.setLong(1, attachmentEtag);
      try (ResultSet chunks = select.executeQuery()) {
        while (chunks.next()) {
          byte[] data = chunks.getBytes(1);
          if (data != null) {
            sha256.update(data);
          }
        }
      }
    }
    return sha256.digest();
  }

  private static void store(PreparedStatement update, String key, byte[] hash) throws SQLException {
    update.setBytes(1, hash);
    update.setString(2, key);
    update.executeUpdate();
  }
}
