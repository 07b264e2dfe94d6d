package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.Tombstone;
import org.periodicbackups.api.source.AttachmentConsumer;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.api.source.IoConsumer;
import org.periodicbackups.api.source.SnapshotImage;

/**
 * A read transaction on its own connection. The first SELECT after {@code BEGIN} fixes the WAL
 * snapshot, so the cut read there and every later stream see the same committed state while writers
 * go on. Long snapshots keep the WAL from being checkpointed back to its start, so close promptly.
 * System documents and their tombstones are left out of the streams and the {@link #image() image}.
 */
final class SqliteSnapshot implements ChangeSnapshot {
  private static final String DOCUMENTS =
      "SELECT key, etag, metadata, body FROM documents"
          + " WHERE etag > ? AND etag <= ? AND "
          + Keys.NOT_SYSTEM
          + " ORDER BY etag";
  private static final String DOCUMENT_TOMBSTONES =
      "SELECT key, etag FROM document_tombstones"
          + " WHERE etag > ? AND etag <= ? AND "
          + Keys.NOT_SYSTEM
          + " ORDER BY etag";
  private static final String ATTACHMENTS =
      "SELECT key, etag, metadata, size FROM attachments"
          + " WHERE etag > ? AND etag <= ? ORDER BY etag";
  private static final String ATTACHMENT_TOMBSTONES =
      "SELECT key, etag FROM" + " attachment_tombstones WHERE etag > ? AND etag <= ? ORDER BY etag";

  private final Path file;
  private final ReaderPool readers;
  private final Connection connection;
  private final long cut;
  private boolean closed;

  private SqliteSnapshot(Path file, ReaderPool readers, Connection connection, long cut) {
    this.file = file;
    this.readers = readers;
    this.connection = connection;
    this.cut = cut;
  }

  /** Begins the read transaction and reads the cut from within it. */
  static SqliteSnapshot open(Path file, ReaderPool readers) throws IOException {
    Connection connection = readers.borrow();
    try {
      SqliteFiles.execute(connection, "BEGIN");
      try (PreparedStatement select =
              connection.prepareStatement("SELECT last_etag FROM etag_sequence WHERE id = 1");
          ResultSet rows = select.executeQuery()) {
        rows.next();
        return new SqliteSnapshot(file, readers, connection, rows.getLong(1));
      }
    } catch (SQLException | RuntimeException e) {
      readers.discard(connection);
      throw new IOException(
          "database file " + file + ": cannot open a snapshot: " + e.getMessage(), e);
    }
  }

  @Override
  public long lastEtag() {
    return cut;
  }

  @Override
  public void forEachDocument(long afterEtag, IoConsumer<Document> consumer) throws IOException {
    try (PreparedStatement select = rangeQuery(DOCUMENTS, afterEtag);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        consumer.accept(
            new Document(rows.getString(1), rows.getLong(2), rows.getString(3), rows.getString(4)));
      }
    } catch (SQLException e) {
      throw failure("cannot stream documents", e);
    }
  }

  @Override
  public void forEachAttachment(long afterEtag, AttachmentConsumer consumer) throws IOException {
    try (PreparedStatement select = rangeQuery(ATTACHMENTS, afterEtag);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        AttachmentInfo info =
            new AttachmentInfo(
                rows.getString(1), rows.getLong(2), rows.getString(3), rows.getLong(4));
        // Same connection and transaction: the chunks are those of the version this row shows.
        try (AttachmentChunks.ChunkReader content =
            AttachmentChunks.ChunkReader.open(
                connection,
                info.etag(),
                "database file " + file + ", attachment '" + info.key() + "'",
                () -> {})) {
          consumer.accept(info, content);
        }
      }
    } catch (SQLException e) {
      throw failure("cannot stream attachments", e);
    }
  }

  @Override
  public void forEachDocumentDeletion(long afterEtag, IoConsumer<Tombstone> consumer)
      throws IOException {
    streamTombstones(DOCUMENT_TOMBSTONES, afterEtag, consumer, "document deletions");
  }

  @Override
  public void forEachAttachmentDeletion(long afterEtag, IoConsumer<Tombstone> consumer)
      throws IOException {
    streamTombstones(ATTACHMENT_TOMBSTONES, afterEtag, consumer, "attachment deletions");
  }

  private void streamTombstones(
      String sql, long afterEtag, IoConsumer<Tombstone> consumer, String what) throws IOException {
    try (PreparedStatement select = rangeQuery(sql, afterEtag);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        consumer.accept(new Tombstone(rows.getString(1), rows.getLong(2)));
      }
    } catch (SQLException e) {
      throw failure("cannot stream " + what, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The database file as of the cut, less what the streams leave out too: system documents and
   * their tombstones, plain and secured settings (see {@link SqliteImage}). Writing it needs free
   * space beside the database for one copy of the file.
   */
  @Override
  public Optional<SnapshotImage> image() {
    return Optional.of(new SqliteImage(this, file));
  }

  /** {@inheritDoc} The digest the write transactions keep, as of the cut: no scan. */
  @Override
  public Optional<ContentDigest> content() throws IOException {
    try {
      return Optional.of(ContentHashes.read(connection()));
    } catch (SQLException e) {
      throw failure("cannot read the content digest", e);
    }
  }

  /** The connection holding the read transaction, while the snapshot is open. */
  Connection connection() throws IOException {
    if (closed) {
      throw new IOException("database file " + file + ": the snapshot is closed");
    }
    return connection;
  }

  private PreparedStatement rangeQuery(String sql, long afterEtag)
      throws IOException, SQLException {
    PreparedStatement select = connection().prepareStatement(sql);
    select.setLong(1, afterEtag);
    select.setLong(2, cut);
    return select;
  }

  /** Ends the read transaction and returns the connection; idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      SqliteFiles.execute(connection, "COMMIT");
    } catch (SQLException e) {
      readers.discard(connection);
      throw failure("cannot end the snapshot", e);
    }
    readers.release(connection);
  }

  private IOException failure(String what, SQLException e) {
    return new IOException("database file " + file + ": " + what + ": " + e.getMessage(), e);
  }
}
