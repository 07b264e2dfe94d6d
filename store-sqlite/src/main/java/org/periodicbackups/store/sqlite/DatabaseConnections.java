package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one open database and whether it is still open: the single write connection,
 * the pool of read connections, and read transactions on a pooled connection with failures that
 * name the file. Everything that uses them checks {@link #checkOpen()} first.
 */
final class DatabaseConnections {
  // Under the database's name, where the store's other messages are.
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);

  private final String name;
  private final Path file;
  private final WriterConnection writer;
  private final ReaderPool readers;
  private volatile boolean closed;

  private DatabaseConnections(String name, Path file, WriterConnection writer) {
    this.name = name;
    this.file = file;
    this.writer = writer;
    this.readers = new ReaderPool(file);
  }

  /** Opens (creating if needed) the file of database {@code name} and its schema. */
  static DatabaseConnections open(String name, Path file) throws IOException {
    WriterConnection writer = new WriterConnection(file);
    try {
      Schema.apply(writer.connection(), file);
    } catch (IOException | RuntimeException e) {
      writer.close();
      throw e;
    }
    return new DatabaseConnections(name, file, writer);
  }

  /** A read on a connection of its own; see {@link #read}. */
  @FunctionalInterface
  interface SqlRead<T> {
    T apply(Connection connection) throws SQLException, IOException;
  }

  Path file() {
    return file;
  }

  WriterConnection writer() {
    return writer;
  }

  ReaderPool readers() {
    return readers;
  }

  /** Runs {@code body} in a read transaction on a pooled connection. */
  <T> T read(String what, SqlRead<T> body) throws IOException {
    checkOpen();
    Connection connection = readers.borrow();
    boolean reusable = false;
    try {
      SqliteFiles.execute(connection, "BEGIN");
      try {
        return body.apply(connection);
      } finally {
        SqliteFiles.execute(connection, "COMMIT");
        reusable = true;
      }
    } catch (SQLException e) {
      throw new IOException(
          "database file " + file + ": cannot " + what + ": " + e.getMessage(), e);
    } finally {
      if (reusable) {
        readers.release(connection);
      } else {
        readers.discard(connection);
      }
    }
  }

  /** Ends the read transaction of a borrowed connection and gives the connection back. */
  void endRead(Connection connection) {
    try {
      SqliteFiles.execute(connection, "COMMIT");
      readers.release(connection);
    } catch (SQLException e) {
      LOG.warn(
          "database file {}: cannot end a read transaction; discarding its connection", file, e);
      readers.discard(connection);
    }
  }

  void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("database '" + name + "' (file " + file + ") is closed");
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** Closes the connections; borrowed read connections close when they are given back. */
  void close() throws IOException {
    closed = true;
    readers.close();
    writer.close();
  }
}
