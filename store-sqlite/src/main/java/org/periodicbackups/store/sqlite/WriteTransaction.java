package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.store.sqlite.ChangeEvent.Kind;

/**
 * One {@code BEGIN IMMEDIATE} transaction on the write connection. Etags are taken from the
 * sequence read at the start and the sequence row is updated just before the commit, so a write and
 * its etag are committed (or rolled back) together. Created and used while holding the write lock,
 * by one thread.
 */
final class WriteTransaction implements DatabaseWriter {
  // A new key is inserted in one statement; only a replaced one needs its old version read first.
  // A document row's hash is NULL (derived from the row when it is replaced or deleted) unless an
  // older version of the store wrote it: the hash is not computed on the writer thread.
  private static final String INSERT_DOCUMENT =
      "INSERT INTO documents (key, etag, metadata, body)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING";
  private static final String REPLACE_DOCUMENT =
      "UPDATE documents SET etag = ?, metadata = ?, body = ?, hash = NULL WHERE key = ?";
  private static final String SELECT_DOCUMENT_HASH =
      "SELECT hash, metadata, body FROM documents WHERE key = ?";
  private static final String DELETE_DOCUMENT = "DELETE FROM documents WHERE key = ?";
  private static final String UPSERT_DOCUMENT_TOMBSTONE =
      "INSERT INTO document_tombstones"
          + " (key, etag) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET etag = excluded.etag";
  private static final String DELETE_DOCUMENT_TOMBSTONE =
      "DELETE FROM document_tombstones WHERE key = ?";
  private static final String SELECT_ATTACHMENT_ETAG =
      "SELECT etag, hash FROM attachments WHERE key = ?";
  private static final String UPSERT_ATTACHMENT =
      "INSERT INTO attachments"
          + " (key, etag, metadata, size) VALUES (?, ?, ?, 0) ON CONFLICT (key) DO UPDATE SET"
          + " etag = excluded.etag, metadata = excluded.metadata, size = 0";
  private static final String UPDATE_ATTACHMENT_SIZE =
      "UPDATE attachments SET size = ?, hash = ? WHERE etag = ?";
  private static final String DELETE_ATTACHMENT = "DELETE FROM attachments WHERE key = ?";
  private static final String UPSERT_ATTACHMENT_TOMBSTONE =
      "INSERT INTO attachment_tombstones"
          + " (key, etag) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET etag = excluded.etag";
  private static final String DELETE_ATTACHMENT_TOMBSTONE =
      "DELETE FROM attachment_tombstones WHERE key = ?";
  private static final String UPSERT_SETTING =
      "INSERT INTO settings (name, value) VALUES (?, ?)"
          + " ON CONFLICT (name) DO UPDATE SET value = excluded.value";
  private static final String DELETE_SETTING = "DELETE FROM settings WHERE name = ?";
  private static final String UPSERT_SECURED_SETTING =
      "INSERT INTO secured_settings (name, value)"
          + " VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
  private static final String DELETE_SECURED_SETTING =
      "DELETE FROM secured_settings WHERE name = ?";
  private static final String SELECT_SECURED_SETTING =
      "SELECT 1 FROM secured_settings WHERE name = ?";

  private final WriterConnection writer;
  private final List<ChangeEvent> events;
  private final long startEtag;
  private final ContentDigest.Sum content;
  private final DocumentHashing newDocuments;
  private boolean contentChanged;
  private long lastEtag;
  private AttachmentChunks.ChunkWriter openContent;
  private boolean finished;

  private WriteTransaction(
      WriterConnection writer, boolean collectEvents, long startEtag, ContentDigest content) {
    this.writer = writer;
    this.events = collectEvents ? new ArrayList<>() : null;
    this.startEtag = startEtag;
    this.content = new ContentDigest.Sum(content);
    this.newDocuments = new DocumentHashing(this.content);
    this.lastEtag = startEtag;
  }

  /**
   * Begins a transaction; the caller holds the write lock.
   *
   * @param collectEvents whether to remember the writes for listeners (skipped when nobody listens,
   *     so that a huge restore batch does not keep a list of every key)
   */
  static WriteTransaction begin(WriterConnection writer, boolean collectEvents) throws IOException {
    try {
      SqliteFiles.execute(writer.connection(), "BEGIN IMMEDIATE");
    } catch (SQLException e) {
      throw failure(writer, "cannot begin a write transaction", e);
    }
    try {
      return new WriteTransaction(
          writer, collectEvents, readEtagSequence(writer), readContent(writer));
    } catch (IOException | RuntimeException e) {
      try {
        SqliteFiles.execute(writer.connection(), "ROLLBACK");
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }

  private static long readEtagSequence(WriterConnection writer) throws IOException {
    try (ResultSet rows =
        writer.prepare("SELECT last_etag FROM etag_sequence WHERE id = 1").executeQuery()) {
      if (!rows.next()) {
        throw new IOException("database file " + writer.file() + ": the etag sequence is missing");
      }
      return rows.getLong(1);
    } catch (SQLException e) {
      throw failure(writer, "cannot read the etag sequence", e);
    }
  }

  private static ContentDigest readContent(WriterConnection writer) throws IOException {
    try (ResultSet rows = writer.prepare(ContentHashes.SELECT).executeQuery()) {
      if (!rows.next()) {
        throw new SQLException("the content digest row is missing");
      }
      return ContentHashes.digest(rows);
    } catch (SQLException e) {
      throw failure(writer, "cannot read the content digest", e);
    }
  }

  @Override
  public long putDocument(String key, String metadataJson, String bodyJson) throws IOException {
    checkUsable();
    Keys.requireValid(key, "document");
    JsonObjects.requireObject(metadataJson, "metadata of document '" + key + "'");
    JsonObjects.requireObject(bodyJson, "body of document '" + key + "'");
    long etag = nextEtag();
    try {
      PreparedStatement insert = writer.prepare(INSERT_DOCUMENT);
      insert.setString(1, key);
      insert.setLong(2, etag);
      insert.setString(3, metadataJson);
      insert.setString(4, bodyJson);
      if (insert.executeUpdate() == 0) {
        removeDocumentHash(key);
        PreparedStatement replace = writer.prepare(REPLACE_DOCUMENT);
        replace.setLong(1, etag);
        replace.setString(2, metadataJson);
        replace.setString(3, bodyJson);
        replace.setString(4, key);
        replace.executeUpdate();
      }
      // System documents are not part of the content: they are not backed up.
      if (!SystemDocuments.isSystemKey(key)) {
        newDocuments.add(key, metadataJson, bodyJson);
        contentChanged = true;
      }
      // A key written again is no longer deleted: without this, a restore applying puts and
      // then deletions would delete it.
      update(DELETE_DOCUMENT_TOMBSTONE, key);
    } catch (SQLException e) {
      throw failure(writer, "cannot put document '" + key + "'", e);
    }
    record(Kind.DOCUMENT, key, etag, false);
    return etag;
  }

  @Override
  public boolean deleteDocument(String key) throws IOException {
    checkUsable();
    Keys.requireValid(key, "document");
    try {
      byte[] hash = documentHash(key);
      if (update(DELETE_DOCUMENT, key) == 0) {
        return false;
      }
      if (hash != null) {
        content.removeDocument(hash);
        contentChanged = true;
      }
      long etag = nextEtag();
      PreparedStatement tombstone = writer.prepare(UPSERT_DOCUMENT_TOMBSTONE);
      tombstone.setString(1, key);
      tombstone.setLong(2, etag);
      tombstone.executeUpdate();
      record(Kind.DOCUMENT, key, etag, true);
      return true;
    } catch (SQLException e) {
      throw failure(writer, "cannot delete document '" + key + "'", e);
    }
  }

  @Override
  public long putAttachment(String key, String metadataJson, InputStream content)
      throws IOException {
    AttachmentChunks.ChunkWriter out = startAttachment(key, metadataJson);
    // Nothing else takes an etag until the stream is closed: the last one is this version's.
    long etag = lastEtag;
    try (out) {
      content.transferTo(out);
    }
    return etag;
  }

  /**
   * Starts an attachment version and returns the stream its content is written to; the version is
   * complete when the stream is closed, which must happen before any other call.
   */
  OutputStream startAttachmentStream(String key, String metadataJson) throws IOException {
    return startAttachment(key, metadataJson);
  }

  private AttachmentChunks.ChunkWriter startAttachment(String key, String metadataJson)
      throws IOException {
    checkUsable();
    Keys.requireValid(key, "attachment");
    JsonObjects.requireObject(metadataJson, "metadata of attachment '" + key + "'");
    long etag = nextEtag();
    try {
      removeAttachmentContent(key);
      PreparedStatement upsert = writer.prepare(UPSERT_ATTACHMENT);
      upsert.setString(1, key);
      upsert.setLong(2, etag);
      upsert.setString(3, metadataJson);
      upsert.executeUpdate();
      update(DELETE_ATTACHMENT_TOMBSTONE, key);
      String description = "database file " + writer.file() + ", attachment '" + key + "'";
      openContent =
          new AttachmentChunks.ChunkWriter(
              writer.prepare(AttachmentChunks.INSERT),
              etag,
              description,
              (size, sha256) -> completeAttachment(key, metadataJson, etag, size, sha256));
      return openContent;
    } catch (SQLException e) {
      throw failure(writer, "cannot put attachment '" + key + "'", e);
    }
  }

  private void completeAttachment(
      String key, String metadataJson, long etag, long size, byte[] contentSha256)
      throws IOException {
    try {
      byte[] hash = ContentDigest.attachmentHash(key, metadataJson, contentSha256);
      PreparedStatement update = writer.prepare(UPDATE_ATTACHMENT_SIZE);
      update.setLong(1, size);
      update.setBytes(2, hash);
      update.setLong(3, etag);
      update.executeUpdate();
      content.addAttachment(hash);
      contentChanged = true;
    } catch (SQLException e) {
      throw failure(writer, "cannot complete attachment '" + key + "'", e);
    }
    record(Kind.ATTACHMENT, key, etag, false);
  }

  @Override
  public boolean deleteAttachment(String key) throws IOException {
    checkUsable();
    Keys.requireValid(key, "attachment");
    try {
      if (!removeAttachmentContent(key)) {
        return false;
      }
      update(DELETE_ATTACHMENT, key);
      long etag = nextEtag();
      PreparedStatement tombstone = writer.prepare(UPSERT_ATTACHMENT_TOMBSTONE);
      tombstone.setString(1, key);
      tombstone.setLong(2, etag);
      tombstone.executeUpdate();
      record(Kind.ATTACHMENT, key, etag, true);
      return true;
    } catch (SQLException e) {
      throw failure(writer, "cannot delete attachment '" + key + "'", e);
    }
  }

  /** Deletes the chunks of the current version of {@code key}; returns whether one existed. */
  private boolean removeAttachmentContent(String key) throws SQLException {
    PreparedStatement select = writer.prepare(SELECT_ATTACHMENT_ETAG);
    select.setString(1, key);
    long oldEtag;
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next()) {
        return false;
      }
      oldEtag = rows.getLong(1);
      byte[] hash = rows.getBytes(2);
      if (hash != null) {
        content.removeAttachment(hash);
        contentChanged = true;
      }
    }
    PreparedStatement delete = writer.prepare(AttachmentChunks.DELETE);
    delete.setLong(1, oldEtag);
    delete.executeUpdate();
    return true;
  }

  /** Sets a setting; settings take no etag. */
  void putSetting(String name, String value) throws IOException {
    checkUsable();
    try {
      PreparedStatement upsert = writer.prepare(UPSERT_SETTING);
      upsert.setString(1, name);
      upsert.setString(2, value);
      upsert.executeUpdate();
    } catch (SQLException e) {
      // Never the value: settings may hold credentials.
      throw failure(writer, "cannot set setting '" + name + "'", e);
    }
  }

  /**
   * Sets a secured setting to its sealed value, replacing a plain setting of the same name (a name
   * is either plain or secured).
   */
  void putSecuredSetting(String name, byte[] sealed) throws IOException {
    checkUsable();
    try {
      update(DELETE_SETTING, name);
      PreparedStatement upsert = writer.prepare(UPSERT_SECURED_SETTING);
      upsert.setString(1, name);
      upsert.setBytes(2, sealed);
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw failure(writer, "cannot set secured setting '" + name + "'", e);
    }
  }

  /** Whether {@code name} is a secured setting, as seen by this transaction. */
  boolean isSecuredSetting(String name) throws IOException {
    checkUsable();
    try {
      PreparedStatement select = writer.prepare(SELECT_SECURED_SETTING);
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw failure(writer, "cannot read setting '" + name + "'", e);
    }
  }

  /** Removes a setting, plain or secured, if present. */
  void removeSetting(String name) throws IOException {
    checkUsable();
    try {
      update(DELETE_SETTING, name);
      update(DELETE_SECURED_SETTING, name);
    } catch (SQLException e) {
      throw failure(writer, "cannot remove setting '" + name + "'", e);
    }
  }

  /** Stores the etag sequence and commits. */
  void commit() throws IOException {
    checkUsable();
    try {
      if (lastEtag != startEtag) {
        PreparedStatement update =
            writer.prepare("UPDATE etag_sequence SET last_etag = ? WHERE id = 1");
        update.setLong(1, lastEtag);
        update.executeUpdate();
      }
      if (contentChanged) {
        newDocuments.finish();
        PreparedStatement update = writer.prepare(ContentHashes.UPDATE);
        ContentHashes.bind(update, content.content());
        update.executeUpdate();
      }
      SqliteFiles.execute(writer.connection(), "COMMIT");
      finished = true;
    } catch (SQLException e) {
      throw failure(writer, "cannot commit", e);
    }
  }

  /** Discards every write of this transaction; does nothing after a commit. */
  void rollback() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      SqliteFiles.execute(writer.connection(), "ROLLBACK");
    } catch (SQLException e) {
      throw failure(writer, "cannot roll back", e);
    }
  }

  /** The committed writes, in etag order, or an empty list if they were not collected. */
  List<ChangeEvent> events() {
    return events == null ? List.of() : events;
  }

  private void checkUsable() {
    if (finished) {
      throw new IllegalStateException(
          "database file " + writer.file() + ": the batch is already committed or rolled back");
    }
    if (openContent != null && !openContent.isClosed()) {
      throw new IllegalStateException(
          "database file "
              + writer.file()
              + ": close the content stream of the previous attachment before the next call");
    }
  }

  private long nextEtag() {
    return ++lastEtag;
  }

  /**
   * The item hash of the stored version of document {@code key} (kept in its row by an older
   * version of the store, or derived from the row), or null (absent, or a system one).
   */
  private byte[] documentHash(String key) throws SQLException {
    PreparedStatement select = writer.prepare(SELECT_DOCUMENT_HASH);
    select.setString(1, key);
    try (ResultSet rows = select.executeQuery()) {
      if (!rows.next() || SystemDocuments.isSystemKey(key)) {
        return null;
      }
      byte[] kept = rows.getBytes(1);
      return kept != null
          ? kept
          : ContentDigest.documentHash(key, rows.getString(2), rows.getString(3));
    }
  }

  /** Subtracts the replaced version of document {@code key} from the content, if there is one. */
  private void removeDocumentHash(String key) throws SQLException {
    byte[] old = documentHash(key);
    if (old != null) {
      content.removeDocument(old);
      contentChanged = true;
    }
  }

  private int update(String sql, String key) throws SQLException {
    PreparedStatement statement = writer.prepare(sql);
    statement.setString(1, key);
    return statement.executeUpdate();
  }

  private void record(Kind kind, String key, long etag, boolean deleted) {
    if (events != null) {
      events.add(new ChangeEvent(kind, key, etag, deleted));
    }
  }

  private static IOException failure(WriterConnection writer, String what, SQLException e) {
    return new IOException(
        "database file " + writer.file() + ": " + what + ": " + e.getMessage(), e);
  }
}
