package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.source.AttachmentConsumer;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.api.source.ContentDigest;
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
 * Failures of the file are {@link IOException}s naming the file and the key; invalid arguments (bad
 * key, JSON text that is not an object) are {@link IllegalArgumentException}s.
 *
 * <p>Settings are plain or <em>secured</em>: a secured setting (a credential such as {@code
 * Raven/AWSSecretKey}) is stored encrypted with the data folder's master key (see {@link
 * SqliteStore}), is returned decrypted by {@link #setting(String)} only, and is never listed,
 * logged or put in a message.
 *
 * <p>Obtain instances from {@link SqliteStore}; closing one removes it from the store's cache.
 * Reads, settings and the backup lock are done by classes of their own ({@code DatabaseReads},
 * {@code DatabaseSettings}, {@code BackupLockFile}) over the connections of {@code
 * DatabaseConnections}; writes and change listeners are here.
 */
public final class SqliteDatabase implements ChangeSource, RestoreTarget, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);

  private final String name;
  private final Path file;
  private final DatabaseConnections connections;
  private final WriterConnection writer;
  private final ReaderPool readers;
  private final DatabaseReads reads;
  private final DatabaseSettings settings;
  private final Consumer<SqliteDatabase> onClose;
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

  private SqliteDatabase(
      String name,
      DatabaseConnections connections,
      MasterKeySource masterKey,
      Consumer<SqliteDatabase> onClose) {
    this.name = name;
    this.file = connections.file();
    this.connections = connections;
    this.writer = connections.writer();
    this.readers = connections.readers();
    this.reads = new DatabaseReads(connections);
    this.settings = new DatabaseSettings(connections, masterKey);
    this.onClose = onClose;
  }

  /**
   * Opens (creating if needed) the file and its schema; secured settings use {@code masterKey};
   * {@code onClose} runs after close.
   */
  static SqliteDatabase open(
      String name, Path file, MasterKeySource masterKey, Consumer<SqliteDatabase> onClose)
      throws IOException {
    return new SqliteDatabase(name, DatabaseConnections.open(name, file), masterKey, onClose);
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

  /** The connections, for the store's own maintenance (restores from images, checks). */
  DatabaseConnections connections() {
    return connections;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An exclusive OS lock on {@code <file>.backup-lock} next to the database file, so that
   * processes sharing the data folder run one backup at a time; the operating system releases it
   * when the holder dies, so a killed run leaves no stale lock (see {@link BackupLockFile}).
   */
  @Override
  public Optional<BackupLock> tryLockBackups() throws IOException {
    return BackupLockFile.tryLock(file, name);
  }

  /** {@inheritDoc} Here the database file's absolute, normalised path. */
  @Override
  public Optional<String> location() {
    return Optional.of(file.toAbsolutePath().normalize().toString());
  }

  /** The etag of the last committed write, or 0 before the first. */
  public long lastEtag() throws IOException {
    return connections.read(
        "read the last etag",
        connection -> {
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
   * @throws IllegalArgumentException if the key does not start with {@code Raven/} or the JSON is
   *     not an object
   */
  @Override
  public void putSystemDocument(String key, String json) throws IOException {
    Keys.requireSystem(key);
    putDocument(key, "{}", json);
  }

  /**
   * Starts a restore batch holding the write lock until it is committed or closed, by the calling
   * thread; other writers wait meanwhile.
   */
  @Override
  public RestoreBatch beginBatch() throws IOException {
    checkOpen();
    writer.lock();
    try {
      return new SqliteRestoreBatch(
          this, writer, WriteTransaction.begin(writer, !listeners.isEmpty()));
    } catch (IOException | RuntimeException e) {
      writer.unlock();
      throw e;
    }
  }

  // ---- reads ----

  /** The document with this exact (case-sensitive) key, system documents included. */
  public Optional<Document> getDocument(String key) throws IOException {
    return reads.document(key);
  }

  /** The body of a system document (key starting with {@code Raven/}), if it exists. */
  @Override
  public Optional<String> getSystemDocument(String key) throws IOException {
    Keys.requireSystem(key);
    return getDocument(key).map(Document::bodyJson);
  }

  /** An attachment's key, etag, metadata and size, if it exists. */
  public Optional<AttachmentInfo> getAttachmentInfo(String key) throws IOException {
    return reads.attachmentInfo(key);
  }

  /**
   * Opens an attachment's content, or returns empty if there is no attachment with this key. The
   * stream reads one chunk at a time from a read transaction of its own, so it shows one version
   * even if the attachment is replaced meanwhile. It must be closed: until then it holds a
   * connection and keeps the WAL from being checkpointed.
   */
  public Optional<InputStream> openAttachment(String key) throws IOException {
    return reads.openAttachment(key);
  }

  /** Streams every non-system document, ordered by key, from one consistent read. */
  public void forEachDocument(IoConsumer<Document> consumer) throws IOException {
    reads.forEachDocument(consumer);
  }

  /** Streams every attachment with its content, ordered by key, from one consistent read. */
  public void forEachAttachment(AttachmentConsumer consumer) throws IOException {
    reads.forEachAttachment(consumer);
  }

  /** The number of non-system documents. */
  public long documentCount() throws IOException {
    return reads.documentCount();
  }

  /** The number of attachments. */
  public long attachmentCount() throws IOException {
    return reads.attachmentCount();
  }

  /** What the database holds now, as its write transactions keep it (see {@link ContentDigest}). */
  public ContentDigest content() throws IOException {
    checkOpen();
    return connections.read("read the content digest", ContentHashes::read);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads every document and attachment chunk in one read transaction: time proportional to the
   * database's size.
   */
  @Override
  public Optional<ContentDigest> computeContent() throws IOException {
    checkOpen();
    return Optional.of(connections.read("compute the content digest", ContentHashes::compute));
  }

  /** {@inheritDoc} The snapshot uses a connection of its own and must be closed. */
  @Override
  public ChangeSnapshot openSnapshot() throws IOException {
    checkOpen();
    return SqliteSnapshot.open(file, readers);
  }

  // ---- settings (values may be credentials: never logged, never in messages) ----

  /**
   * A setting's value, if set; a secured setting's value decrypted. This is what destinations read
   * through {@code DestinationContext.setting}.
   *
   * @throws IOException naming the setting if a secured value cannot be decrypted (wrong or missing
   *     master key, altered value); never with any part of the value
   */
  @Override
  public Optional<String> setting(String settingName) throws IOException {
    return settings.get(settingName);
  }

  /**
   * Sets a plain setting; settings are not documents and take no etag.
   *
   * @throws IllegalArgumentException if {@code settingName} is a secured setting (remove it first:
   *     a credential is never silently downgraded to plain text)
   */
  public void putSetting(String settingName, String value) throws IOException {
    settings.put(settingName, value);
  }

  /**
   * Sets a secured setting: the value is encrypted with the master key (creating the key file on
   * first use) and replaces a plain setting of the same name.
   */
  public void putSecuredSetting(String settingName, String value) throws IOException {
    settings.putSecured(settingName, value);
  }

  /** Sets plain and secured settings in one transaction; see the single-setting methods. */
  void putSettings(Map<String, String> plain, Map<String, String> secured) throws IOException {
    settings.putAll(plain, secured);
  }

  /** Removes a setting, plain or secured, if it is set. */
  public void removeSetting(String settingName) throws IOException {
    settings.remove(settingName);
  }

  /** Every plain setting with its value, sorted by name; secured settings are left out. */
  public Map<String, String> settings() throws IOException {
    return settings.plain();
  }

  /** Whether {@code settingName} is set as a secured setting. */
  public boolean isSecured(String settingName) throws IOException {
    return settings.isSecured(settingName);
  }

  /** The names of the secured settings, sorted; their values are read one at a time. */
  public Set<String> securedSettingNames() throws IOException {
    return settings.securedNames();
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
          LOG.warn(
              "database '{}': change listener {} failed on {} '{}' (etag {})",
              name,
              listener,
              event.kind(),
              event.key(),
              event.etag(),
              e);
        }
      }
    }
  }

  /**
   * Closes the connections. Open snapshots and attachment streams close their own connections when
   * they are closed. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (connections.isClosed()) {
      return;
    }
    try {
      connections.close();
    } finally {
      onClose.accept(this);
    }
  }

  @Override
  public String toString() {
    return "SqliteDatabase[" + name + " at " + file + "]";
  }

  private void checkOpen() throws IOException {
    connections.checkOpen();
  }
}
