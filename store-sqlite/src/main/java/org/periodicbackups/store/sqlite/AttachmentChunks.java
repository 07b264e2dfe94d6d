package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;
import org.periodicbackups.api.source.ContentDigest;

/**
 * Attachment content as rows of {@code attachment_chunks}: written and read one chunk at a time, so
 * memory never grows with an attachment's size.
 */
final class AttachmentChunks {
  /** Bytes per chunk: large enough for few rows, small enough to hold one in memory. */
  static final int CHUNK_SIZE = 256 * 1024;

  static final String INSERT =
      "INSERT INTO attachment_chunks (attachment_etag, seq, data) VALUES (?, ?, ?)";
  static final String DELETE = "DELETE FROM attachment_chunks WHERE attachment_etag = ?";
  static final String SELECT =
      "SELECT data FROM attachment_chunks WHERE attachment_etag = ? ORDER BY seq";

  private AttachmentChunks() {}

  /** What a {@link ChunkWriter} calls when it is closed. */
  interface Completion {
    void completed(long size, byte[] contentSha256) throws IOException;
  }

  /** Receives content and inserts a chunk each time {@link #CHUNK_SIZE} bytes have arrived. */
  static final class ChunkWriter extends OutputStream {
    private final PreparedStatement insert;
    private final long attachmentEtag;
    private final String description;
    private final Completion completion;
    private final byte[] buffer = new byte[CHUNK_SIZE];
    private final MessageDigest sha256 = ContentDigest.sha256();
    private int buffered;
    private int seq;
    private long size;
    private boolean closed;

    /**
     * @param insert the prepared {@link #INSERT} on the writing connection
     * @param description names the file and attachment, for messages
     * @param completion told the total size and the content's SHA-256 on close, after the last
     *     chunk is stored
     */
    ChunkWriter(
        PreparedStatement insert, long attachmentEtag, String description, Completion completion) {
      this.insert = insert;
      this.attachmentEtag = attachmentEtag;
      this.description = description;
      this.completion = completion;
    }

    boolean isClosed() {
      return closed;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, bytes.length);
      if (closed) {
        throw new IOException(description + ": the content stream is closed");
      }
      while (length > 0) {
        int n = Math.min(length, CHUNK_SIZE - buffered);
        System.arraycopy(bytes, offset, buffer, buffered, n);
        buffered += n;
        offset += n;
        length -= n;
        size += n;
        if (buffered == CHUNK_SIZE) {
          flushChunk();
        }
      }
    }

    private void flushChunk() throws IOException {
      if (buffered == 0) {
        return;
      }
      byte[] data = buffered == CHUNK_SIZE ? buffer : Arrays.copyOf(buffer, buffered);
      sha256.update(data);
      try {
        insert.setLong(1, attachmentEtag);
        insert.setInt(2, seq++);
        insert.setBytes(3, data);
        insert.executeUpdate();
      } catch (SQLException e) {
        throw new IOException(
            description + ": cannot store chunk " + (seq - 1) + ": " + e.getMessage(), e);
      }
      buffered = 0;
    }

    /** Stores the last partial chunk and completes the attachment. */
    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      flushChunk();
      completion.completed(size, sha256.digest());
    }
  }

  /**
   * Reads the chunks of one attachment version from a result set, one chunk in memory at a time.
   * The caller's connection must stay in the same read transaction until this stream is closed.
   */
  static final class ChunkReader extends InputStream {
    private final PreparedStatement select;
    private final ResultSet rows;
    private final String description;
    private final Runnable onClose;
    private byte[] chunk = new byte[0];
    private int position;
    private boolean exhausted;
    private boolean closed;

    private ChunkReader(
        PreparedStatement select, ResultSet rows, String description, Runnable onClose) {
      this.select = select;
      this.rows = rows;
      this.description = description;
      this.onClose = onClose;
    }

    /**
     * Opens the content of the attachment version {@code attachmentEtag}.
     *
     * @param onClose run once after the stream's statement is closed (for example to end the read
     *     transaction)
     */
    static ChunkReader open(
        Connection connection, long attachmentEtag, String description, Runnable onClose)
        throws SQLException {
      PreparedStatement select = connection.prepareStatement(SELECT);
      try {
        select.setLong(1, attachmentEtag);
        return new ChunkReader(select, select.executeQuery(), description, onClose);
      } catch (SQLException | RuntimeException e) {
        select.close();
        throw e;
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, bytes.length);
      if (closed) {
        throw new IOException(description + ": the content stream is closed");
      }
      if (length == 0) {
        return 0;
      }
      while (position == chunk.length) {
        if (exhausted || !nextChunk()) {
          return -1;
        }
      }
      int n = Math.min(length, chunk.length - position);
      System.arraycopy(chunk, position, bytes, offset, n);
      position += n;
      return n;
    }

    private boolean nextChunk() throws IOException {
      try {
        if (!rows.next()) {
          exhausted = true;
          return false;
        }
        chunk = rows.getBytes(1);
        if (chunk == null) {
          chunk = new byte[0];
        }
        position = 0;
        return true;
      } catch (SQLException e) {
        throw new IOException(description + ": cannot read content: " + e.getMessage(), e);
      }
    }

    @Override
    public int available() {
      return chunk.length - position;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      chunk = new byte[0];
      try {
        rows.close();
        select.close();
      } catch (SQLException e) {
        throw new IOException(description + ": cannot close content: " + e.getMessage(), e);
      } finally {
        onClose.run();
      }
    }
  }
}
