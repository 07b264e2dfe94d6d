package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * What an image leaves out, and turns an image read from a stream into a staged database file: the
 * bytes written to disk and synced, the SQLite header checked (magic, page size, and that the file
 * holds every page the header counts, so a truncated image is refused here), and, once the file is
 * open as a store database, what a logical restore would not bring removed too.
 */
final class ImageImport {
  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER_BYTES = 100;

  /**
   * What a logical restore leaves out, removed from an imported image: system documents and their
   * tombstones (they describe the source's backups and bundles, not the restored data), and every
   * setting (secured ones are sealed with the source folder's master key, plain ones configure the
   * source's destinations).
   */
  static final List<String> LEFT_OUT =
      List.of(
          "DELETE FROM documents WHERE " + Keys.SYSTEM,
          "DELETE FROM document_tombstones WHERE " + Keys.SYSTEM,
          "DELETE FROM settings",
          "DELETE FROM secured_settings");

  private ImageImport() {}

  /**
   * Writes {@code image} to its end into the new file {@code file} and syncs it.
   *
   * @return the number of bytes written
   */
  static long copy(InputStream image, Path file) throws IOException {
    long size = 0;
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[SqliteImage.BUFFER_BYTES];
      int n;
      while ((n = image.read(buffer)) >= 0) {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        size += n;
      }
      out.force(true);
    }
    return size;
  }

  /**
   * Checks that {@code file} of {@code size} bytes starts with an SQLite header and holds the pages
   * the header counts.
   *
   * @param what the image, for messages
   */
  static void checkHeader(Path file, long size, String what) throws IOException {
    byte[] header = new byte[HEADER_BYTES];
    int read;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.wrap(header);
      while (buffer.hasRemaining() && in.read(buffer) >= 0) {
        // read the whole header or up to the end
      }
      read = buffer.position();
    }
    if (read < HEADER_BYTES || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException(
          what + " is not an SQLite database: its " + size + " bytes lack the SQLite header");
    }
    int pageSize = ((header[16] & 0xff) << 8) | (header[17] & 0xff);
    if (pageSize == 1) {
      pageSize = 65_536;
    }
    if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
      throw new IOException(what + " has an invalid page size " + pageSize + " in its header");
    }
    // The page count at offset 28 is valid only while the "version valid for" number (offset 92)
    // equals the change counter (offset 24); every current SQLite writes it so.
    long pageCount = uint32(header, 28);
    if (pageCount > 0 && uint32(header, 92) == uint32(header, 24)) {
      long expected = pageCount * pageSize;
      if (size != expected) {
        throw new IOException(
            what
                + (size < expected ? " is truncated" : " has trailing bytes")
                + ": its header counts "
                + pageCount
                + " pages of "
                + pageSize
                + " bytes ("
                + expected
                + " bytes) but it has "
                + size
                + " bytes");
      }
    } else if (size % pageSize != 0) {
      throw new IOException(
          what
              + " is truncated: "
              + size
              + " bytes is not a whole number of "
              + pageSize
              + "-byte pages");
    }
  }

  /**
   * Removes {@link #LEFT_OUT} from an imported database; see {@link #removeLeftOut(Connection)}.
   */
  static void removeLeftOut(SqliteDatabase database) throws IOException {
    WriterConnection writer = database.connections().writer();
    writer.lock();
    try {
      removeLeftOut(writer.connection());
    } catch (SQLException e) {
      throw new IOException(
          "database file "
              + database.file()
              + ": cannot remove system documents and settings of the image: "
              + e.getMessage(),
          e);
    } finally {
      writer.unlock();
    }
  }

  /**
   * Removes {@link #LEFT_OUT} in one transaction on a connection with no transaction open. With
   * {@code secure_delete} the freed space is overwritten with zeros, so that sealed settings do not
   * linger in free pages.
   */
  static void removeLeftOut(Connection connection) throws SQLException {
    SqliteFiles.execute(connection, "PRAGMA secure_delete = ON");
    try {
      SqliteFiles.execute(connection, "BEGIN IMMEDIATE");
      try {
        for (String sql : LEFT_OUT) {
          SqliteFiles.execute(connection, sql);
        }
        SqliteFiles.execute(connection, "COMMIT");
      } catch (SQLException | RuntimeException e) {
        SqliteFiles.execute(connection, "ROLLBACK");
        throw e;
      }
    } finally {
      SqliteFiles.execute(connection, "PRAGMA secure_delete = OFF");
    }
  }

  private static long uint32(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xffL) << 24)
        | ((bytes[offset + 1] & 0xffL) << 16)
        | ((bytes[offset + 2] & 0xffL) << 8)
        | (bytes[offset + 3] & 0xffL);
  }
}
