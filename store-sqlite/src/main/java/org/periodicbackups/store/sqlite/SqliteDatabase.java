package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.source.AttachmentConsumer;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.api.source.IoConsumer;
import org.periodicbackups.api.source.RestoreBatch;
import org.periodicbackups.api.source.RestoreTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database: a SQLite file in WAL mode holding documents, attachments (content in chunks),
 * tombstones, settings and one etag sequence shared by every put and delete, system documents
 * included.
 *
 * <p>Thread-safe. Writes are serialised on one connection ({@code BEGIN IMMEDIATE}); reads and
 * {@linkplain #openSnapshot() snapshots} use connections of their own and never block writers.
 * Failures of the file are {@link IOException}s naming the file and the key; invalid arguments
 * (bad key, JSON text that is not an object) are {@link IllegalArgumentException}s.
 *
 * <p>Settings are plain or <em>secured</em>: a secured setting (a credential such as
 * {@code Raven/AWSSecretKey}) is stored encrypted with the data folder's master key (see
 * {@link SqliteStore}), is returned decrypted by {@link #setting(String)} only, and is never
 * listed, logged or put in a message.
 *
 * <p>Obtain instances from {@link SqliteStore}; closing one removes it from the store's cache.
 */
public final class SqliteDatabase implements ChangeSource, RestoreTarget, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
  private static final String NOT_SYSTEM = "substr(key, 1, 6) <> 'Raven/'";

  private final String name;
  private final Path file;
  private final WriterConnection writer;
  private final ReaderPool readers;
  private final Consumer<SqliteDatabase> onClose;
  private final MasterKeySource masterKey;
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private SqliteDatabase(String name, Path file, WriterConnection writer,
      MasterKeySource masterKey, Consumer<SqliteDatabase> onClose) {
    this.name = name;
    this.masterKey = masterKey;
    this.file = file;
    this.writer = writer;
    this.readers = new ReaderPool(file);
    this.onClose = onClose;
  }

  /**
   * Opens (creating if needed) the file and its schema; secured settings use {@code masterKey};
   * {@code onClose} runs after close.
   */
  static SqliteDatabase open(String name, Path file, MasterKeySource masterKey,
      Consumer<SqliteDatabase> onClose) throws IOException {
    WriterConnection writer = new WriterConnection(file);
    try {
      Schema.apply(writer.connection(), file);
    } catch (IOException | RuntimeException e) {
      writer.close();
      throw e;
    }
    return new SqliteDatabase(name, file, writer, masterKey, onClose);
  }

  /** {@inheritDoc} */
  @Override
  public String databaseName() {
    return name;
  }

  /** The SQLite file of this database. */
  public Path file() {
    return file;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An exclusive OS lock on {@code <file>.backup-lock} next to the database file, so that
   * processes sharing the data folder run one backup at a time; the operating system releases
   * it when the holder dies, so a killed run leaves no stale lock.
   */
  @Override
  public Optional<BackupLock> tryLockBackups() throws IOException {
    Path lockFile = file.resolveSibling(file.getFileName() + ".backup-lock");
    FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another SqliteDatabase of this same process
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw new IOException("cannot lock " + lockFile + " to back up database '" + name
          + "': " + e.getMessage(), e);
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    FileLock held = lock;
    return Optional.of(() -> {
      try (channel) {
        held.release();
      }
    });
  }

  /** The etag of the last committed write, or 0 before the first. */
  public long lastEtag() throws IOException {
    return read("read the last etag", connection -> {
      try (PreparedStatement select =
              connection.prepareStatement("SELECT last_etag FROM etag_sequence WHERE id = 1");
          ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    });
  }

  // ---- writes ----

  /**
   * Runs {@code batch} in one transaction and commits it; rolls back and rethrows if it throws.
   * Listeners are told after the commit. Must not be called from inside another batch.
   */
  public void write(WriteBatch batch) throws IOException {
    requireNonNull(batch, "batch is null");
    checkOpen();
    List<ChangeEvent> events;
    writer.lock();
    try {
      WriteTransaction transaction = WriteTransaction.begin(writer, !listeners.isEmpty());
      try {
        batch.writeTo(transaction);
        transaction.commit();
      } catch (IOException | RuntimeException | Error e) {
        try {
          transaction.rollback();
        } catch (IOException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
      events = transaction.events();
    } finally {
      writer.unlock();
    }
    notifyListeners(events);
  }

  /**
   * Puts a document in its own transaction; see {@link DatabaseWriter#putDocument}.
   *
   * @return the etag of the write
   */
  public long putDocument(String key, String metadataJson, String bodyJson) throws IOException {
    long[] etag = new long[1];
    write(tx -> etag[0] = tx.putDocument(key, metadataJson, bodyJson));
    return etag[0];
  }

  /** Deletes a document; see {@link DatabaseWriter#deleteDocument}. */
  public boolean deleteDocument(String key) throws IOException {
    boolean[] existed = new boolean[1];
    write(tx -> existed[0] = tx.deleteDocument(key));
    return existed[0];
  }

  /**
   * Puts an attachment in its own transaction; see {@link DatabaseWriter#putAttachment}.
   *
   * @return the etag of the write
   */
  public long putAttachment(String key, String metadataJson, InputStream content)
      throws IOException {
    long[] etag = new long[1];
    write(tx -> etag[0] = tx.putAttachment(key, metadataJson, content));
    return etag[0];
  }

  /** Deletes an attachment; see {@link DatabaseWriter#deleteAttachment}. */
  public boolean deleteAttachment(String key) throws IOException {
    boolean[] existed = new boolean[1];
    write(tx -> existed[0] = tx.deleteAttachment(key));
    return existed[0];
  }

  /**
   * Writes a system document: body {@code json}, metadata {@code {}}. It takes an etag like any
   * write but is never part of a snapshot's streams.
   *
   * @throws IllegalArgumentException if the key does not start with {@code Raven/} or the JSON
   *     is not an object
   */
  @Override
  public void putSystemDocument(String key, String json) throws IOException {
    Keys.requireSystem(key);
    putDocument(key, "{}", json);
  }

  /**
   * Starts a restore batch holding the write lock until it is committed or closed, by the
   * calling thread; other writers wait meanwhile.
   */
  @Override
  public RestoreBatch beginBatch() throws IOException {
    checkOpen();
    writer.lock();
    try {
      return new SqliteRestoreBatch(this, writer,
          WriteTransaction.begin(writer, !listeners.isEmpty()));
    } catch (IOException | RuntimeException e) {
      writer.unlock();
      throw e;
    }
  }

  // ---- reads ----

  /** The document with this exact (case-sensitive) key, system documents included. */
  public Optional<Document> getDocument(String key) throws IOException {
    Keys.requireValid(key, "document");
    return read("read document '" + key + "'", connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT key, etag, metadata, body FROM documents WHERE key = ?")) {
        select.setString(1, key);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next()
              ? Optional.of(new Document(rows.getString(1), rows.getLong(2), rows.getString(3),
                  rows.getString(4)))
              : Optional.empty();
        }
      }
    });
  }

  /** The body of a system document (key starting with {@code Raven/}), if it exists. */
  @Override
  public Optional<String> getSystemDocument(String key) throws IOException {
    Keys.requireSystem(key);
    return getDocument(key).map(Document::bodyJson);
  }

  /** An attachment's key, etag, metadata and size, if it exists. */
  public Optional<AttachmentInfo> getAttachmentInfo(String key) throws IOException {
    Keys.requireValid(key, "attachment");
    return read("read attachment '" + key + "'", connection -> attachmentInfo(connection, key));
  }

  /**
   * Opens an attachment's content, or returns empty if there is no attachment with this key. The
   * stream reads one chunk at a time from a read transaction of its own, so it shows one version
   * even if the attachment is replaced meanwhile. It must be closed: until then it holds a
   * connection and keeps the WAL from being checkpointed.
   */
  public Optional<InputStream> openAttachment(String key) throws IOException {
    Keys.requireValid(key, "attachment");
    checkOpen();
    Connection connection = readers.borrow();
    try {
      SqliteFiles.execute(connection, "BEGIN");
      Optional<AttachmentInfo> info = attachmentInfo(connection, key);
      if (info.isEmpty()) {
        endRead(connection);
        return Optional.empty();
      }
      return Optional.of(AttachmentChunks.ChunkReader.open(connection, info.get().etag(),
          "database file " + file + ", attachment '" + key + "'", () -> endRead(connection)));
    } catch (SQLException | RuntimeException e) {
      readers.discard(connection);
      throw new IOException("database file " + file + ": cannot open attachment '" + key + "': "
          + e.getMessage(), e);
    }
  }

  /** Streams every non-system document, ordered by key, from one consistent read. */
  public void forEachDocument(IoConsumer<Document> consumer) throws IOException {
    requireNonNull(consumer, "consumer is null");
    read("stream documents", connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT key, etag, metadata,"
              + " body FROM documents WHERE " + NOT_SYSTEM + " ORDER BY key");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          consumer.accept(new Document(rows.getString(1), rows.getLong(2), rows.getString(3),
              rows.getString(4)));
        }
      }
      return null;
    });
  }

  /** Streams every attachment with its content, ordered by key, from one consistent read. */
  public void forEachAttachment(AttachmentConsumer consumer) throws IOException {
    requireNonNull(consumer, "consumer is null");
    read("stream attachments", connection -> {
      try (PreparedStatement select = connection.prepareStatement(
              "SELECT key, etag, metadata, size FROM attachments ORDER BY key");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          AttachmentInfo info = new AttachmentInfo(rows.getString(1), rows.getLong(2),
              rows.getString(3), rows.getLong(4));
          try (InputStream content = AttachmentChunks.ChunkReader.open(connection, info.etag(),
              "database file " + file + ", attachment '" + info.key() + "'", () -> {})) {
            consumer.accept(info, content);
          }
        }
      }
      return null;
    });
  }

  /** The number of non-system documents. */
  public long documentCount() throws IOException {
    return count("SELECT count(*) FROM documents WHERE " + NOT_SYSTEM, "count documents");
  }

  /** The number of attachments. */
  public long attachmentCount() throws IOException {
    return count("SELECT count(*) FROM attachments", "count attachments");
  }

  /** {@inheritDoc} The snapshot uses a connection of its own and must be closed. */
  @Override
  public ChangeSnapshot openSnapshot() throws IOException {
    checkOpen();
    return SqliteSnapshot.open(file, readers);
  }

  // ---- settings (values may be credentials: never logged, never in messages) ----

  /**
   * A setting's value, if set; a secured setting's value decrypted. This is what destinations
   * read through {@code DestinationContext.setting}.
   *
   * @throws IOException naming the setting if a secured value cannot be decrypted (wrong or
   *     missing master key, altered value); never with any part of the value
   */
  @Override
  public Optional<String> setting(String settingName) throws IOException {
    requireSettingName(settingName);
    StoredSetting stored = read("read setting '" + settingName + "'", connection -> {
      try (PreparedStatement select =
          connection.prepareStatement("SELECT value FROM secured_settings WHERE name = ?")) {
        select.setString(1, settingName);
        try (ResultSet rows = select.executeQuery()) {
          if (rows.next()) {
            return new StoredSetting(null, rows.getBytes(1));
          }
        }
      }
      try (PreparedStatement select =
          connection.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
        select.setString(1, settingName);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? new StoredSetting(rows.getString(1), null) : null;
        }
      }
    });
    if (stored == null) {
      return Optional.empty();
    }
    if (stored.sealed() == null) {
      return Optional.of(stored.plain());
    }
    try {
      return Optional.of(masterKey.forReading(settingName).open(settingName, stored.sealed()));
    } catch (SecretBox.SecretBoxException e) {
      throw new IOException("database file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Sets a plain setting; settings are not documents and take no etag.
   *
   * @throws IllegalArgumentException if {@code settingName} is a secured setting (remove it
   *     first: a credential is never silently downgraded to plain text)
   */
  public void putSetting(String settingName, String value) throws IOException {
    putSettings(Map.of(requireSettingName(settingName),
        requireNonNull(value, "value of setting '" + settingName + "' is null")));
  }

  /**
   * Sets a secured setting: the value is encrypted with the master key (creating the key file
   * on first use) and replaces a plain setting of the same name.
   */
  public void putSecuredSetting(String settingName, String value) throws IOException {
    putSettings(Map.of(), Map.of(requireSettingName(settingName),
        requireNonNull(value, "value of secured setting '" + settingName + "' is null")));
  }

  /** Sets several plain settings in one transaction. */
  void putSettings(Map<String, String> values) throws IOException {
    putSettings(values, Map.of());
  }

  /** Sets plain and secured settings in one transaction; see the single-setting methods. */
  void putSettings(Map<String, String> plain, Map<String, String> secured) throws IOException {
    plain.forEach((key, value) -> {
      requireSettingName(key);
      requireNonNull(value, "value of setting '" + key + "' is null");
    });
    secured.forEach((key, value) -> {
      requireSettingName(key);
      requireNonNull(value, "value of secured setting '" + key + "' is null");
      if (plain.containsKey(key)) {
        throw new IllegalArgumentException("setting '" + key + "' is given both plain and"
            + " secured");
      }
    });
    Map<String, byte[]> sealed = new TreeMap<>();
    if (!secured.isEmpty()) {
      SecretBox box = masterKey.forWriting();
      secured.forEach((key, value) -> sealed.put(key, box.seal(key, value)));
    }
    updateSettings(transaction -> {
      for (Map.Entry<String, String> entry : plain.entrySet()) {
        if (transaction.isSecuredSetting(entry.getKey())) {
          throw new IllegalArgumentException("setting '" + entry.getKey() + "' is secured;"
              + " set it with putSecuredSetting, or remove it before setting it in plain text");
        }
        transaction.putSetting(entry.getKey(), entry.getValue());
      }
      for (Map.Entry<String, byte[]> entry : sealed.entrySet()) {
        transaction.putSecuredSetting(entry.getKey(), entry.getValue());
      }
    });
  }

  /** Removes a setting, plain or secured, if it is set. */
  public void removeSetting(String settingName) throws IOException {
    requireSettingName(settingName);
    updateSettings(transaction -> transaction.removeSetting(settingName));
  }

  /** Every plain setting with its value, sorted by name; secured settings are left out. */
  public Map<String, String> settings() throws IOException {
    return read("read settings", connection -> {
      Map<String, String> settings = new TreeMap<>();
      try (PreparedStatement select =
              connection.prepareStatement("SELECT name, value FROM settings");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          settings.put(rows.getString(1), rows.getString(2));
        }
      }
      return settings;
    });
  }

  /** Whether {@code settingName} is set as a secured setting. */
  public boolean isSecured(String settingName) throws IOException {
    requireSettingName(settingName);
    return read("read setting '" + settingName + "'", connection -> {
      try (PreparedStatement select =
          connection.prepareStatement("SELECT 1 FROM secured_settings WHERE name = ?")) {
        select.setString(1, settingName);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next();
        }
      }
    });
  }

  /** The names of the secured settings, sorted; their values are read one at a time. */
  public Set<String> securedSettingNames() throws IOException {
    return read("read secured setting names", connection -> {
      Set<String> names = new TreeSet<>();
      try (PreparedStatement select =
              connection.prepareStatement("SELECT name FROM secured_settings");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      return java.util.Collections.unmodifiableSet(names);
    });
  }

  // ---- listeners ----

  /** Adds a listener told of every committed write; see {@link ChangeListener}. */
  public void addChangeListener(ChangeListener listener) {
    listeners.add(requireNonNull(listener, "listener is null"));
  }

  /** Removes a listener added before; does nothing if it is not registered. */
  public void removeChangeListener(ChangeListener listener) {
    listeners.remove(listener);
  }

  void notifyListeners(List<ChangeEvent> events) {
    for (ChangeEvent event : events) {
      for (ChangeListener listener : listeners) {
        try {
          listener.onChange(event);
        } catch (RuntimeException e) {
          LOG.warn("database '{}': change listener {} failed on {} '{}' (etag {})", name,
              listener, event.kind(), event.key(), event.etag(), e);
        }
      }
    }
  }

  /**
   * Closes the connections. Open snapshots and attachment streams close their own connections
   * when they are closed. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      readers.close();
      writer.close();
    } finally {
      onClose.accept(this);
    }
  }

  @Override
  public String toString() {
    return "SqliteDatabase[" + name + " at " + file + "]";
  }

  // ---- helpers ----

  @FunctionalInterface
  private interface SqlRead<T> {
    T apply(Connection connection) throws SQLException, IOException;
  }

  /** A setting as stored: plain text or a sealed secured value. No {@code toString} of values. */
  private record StoredSetting(String plain, byte[] sealed) {
    @Override
    public String toString() {
      return sealed != null ? "StoredSetting[secured]" : "StoredSetting[plain]";
    }
  }

  @FunctionalInterface
  private interface SettingsUpdate {
    void apply(WriteTransaction transaction) throws IOException;
  }

  private void updateSettings(SettingsUpdate update) throws IOException {
    checkOpen();
    writer.lock();
    try {
      WriteTransaction transaction = WriteTransaction.begin(writer, false);
      try {
        update.apply(transaction);
        transaction.commit();
      } catch (IOException | RuntimeException e) {
        transaction.rollback();
        throw e;
      }
    } finally {
      writer.unlock();
    }
  }

  /** Runs {@code body} in a read transaction on a pooled connection. */
  private <T> T read(String what, SqlRead<T> body) throws IOException {
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
      throw new IOException("database file " + file + ": cannot " + what + ": " + e.getMessage(),
          e);
    } finally {
      if (reusable) {
        readers.release(connection);
      } else {
        readers.discard(connection);
      }
    }
  }

  private void endRead(Connection connection) {
    try {
      SqliteFiles.execute(connection, "COMMIT");
      readers.release(connection);
    } catch (SQLException e) {
      LOG.warn("database file {}: cannot end a read transaction; discarding its connection",
          file, e);
      readers.discard(connection);
    }
  }

  private static Optional<AttachmentInfo> attachmentInfo(Connection connection, String key)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT key, etag, metadata, size FROM attachments WHERE key = ?")) {
      select.setString(1, key);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next()
            ? Optional.of(new AttachmentInfo(rows.getString(1), rows.getLong(2),
                rows.getString(3), rows.getLong(4)))
            : Optional.empty();
      }
    }
  }

  private long count(String sql, String what) throws IOException {
    return read(what, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql);
          ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    });
  }

  private static String requireSettingName(String settingName) {
    requireNonNull(settingName, "setting name is null");
    if (settingName.isBlank()) {
      throw new IllegalArgumentException("setting name must not be blank");
    }
    return settingName;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("database '" + name + "' (file " + file + ") is closed");
    }
  }
}
