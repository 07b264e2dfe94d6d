package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.periodicbackups.api.source.ImageFormat;
import org.periodicbackups.api.source.RestoreTarget;

/**
 * A data folder of databases, one SQLite file each: {@code <dataDir>/<name>.db} (with its {@code
 * -wal} and {@code -shm} files while open).
 *
 * <p>Thread-safe. Open databases are cached: opening the same name twice returns the same instance
 * until it is closed (closing it, directly or through {@link #close()}, removes it). Names follow
 * {@value DatabaseNames#RULE}; on case-insensitive file systems, names differing only in case name
 * the same file.
 *
 * <p>Secured settings of every database in the folder are encrypted with one master key: the
 * environment variable {@code PBK_MASTER_KEY} (base64 of 32 bytes) when set, else the key file
 * {@code <dataDir>/master.key}, created with owner-only permissions when the first secured setting
 * is written. Without that key secured settings cannot be read: back it up, apart from the database
 * backups.
 *
 * <p>Files being written beside the databases (images being copied, databases being restored) carry
 * the writing process's id in their name; those of processes that are gone are removed when a store
 * opens the folder and before each image or staged restore.
 */
public final class SqliteStore implements AutoCloseable {
  /**
   * The format of this store's {@linkplain org.periodicbackups.api.source.ChangeSnapshot#image()
   * snapshot images}: a database file of the current schema version.
   */
  public static final ImageFormat IMAGE_FORMAT =
      new ImageFormat("pbk-sqlite", Schema.CURRENT_VERSION);

  private static final String SUFFIX = ".db";

  private final Path dataDir;
  private final MasterKeySource masterKey;
  private final Map<String, SqliteDatabase> open = new HashMap<>();
  private boolean closed;

  /** A store over {@code dataDir}, created (with its parents) if missing. */
  public SqliteStore(Path dataDir) throws IOException {
    this(dataDir, System.getenv());
  }

  /** A store whose master key variable is read from {@code environment} (for tests). */
  SqliteStore(Path dataDir, Map<String, String> environment) throws IOException {
    this.dataDir = requireNonNull(dataDir, "dataDir is null");
    this.masterKey = new MasterKeySource(dataDir, environment);
    Files.createDirectories(dataDir);
    TemporaryFiles.removeLeftovers(dataDir);
  }

  /** The data folder. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * The master key file of this folder, {@code <dataDir>/master.key}, whether or not it exists (it
   * is not used while {@code PBK_MASTER_KEY} is set).
   */
  public Path masterKeyFile() {
    return masterKey.keyFile();
  }

  /**
   * Creates a database with initial settings (for example {@code Raven/ActiveBundles}).
   *
   * @throws FileAlreadyExistsException if a database with this name exists
   * @throws IllegalArgumentException if the name breaks the naming rule
   */
  public synchronized SqliteDatabase create(String name, Map<String, String> settings)
      throws IOException {
    return create(name, settings, Map.of());
  }

  /**
   * Creates a database with initial plain and secured settings, written in one transaction; see
   * {@link SqliteDatabase#putSecuredSetting}.
   *
   * @throws FileAlreadyExistsException if a database with this name exists
   * @throws IllegalArgumentException if the name breaks the naming rule or a setting is given both
   *     plain and secured
   */
  public synchronized SqliteDatabase create(
      String name, Map<String, String> settings, Map<String, String> securedSettings)
      throws IOException {
    DatabaseNames.requireValid(name);
    requireNonNull(settings, "settings is null");
    requireNonNull(securedSettings, "securedSettings is null");
    checkOpen();
    Path file = fileOf(name);
    if (open.containsKey(name) || Files.exists(file)) {
      throw new FileAlreadyExistsException(
          file.toString(), null, "database '" + name + "' already exists");
    }
    SqliteDatabase database = openFile(name, file);
    if (!settings.isEmpty() || !securedSettings.isEmpty()) {
      try {
        database.putSettings(settings, securedSettings);
      } catch (IOException | RuntimeException e) {
        database.close();
        deleteFiles(file);
        throw e;
      }
    }
    return database;
  }

  /**
   * Opens an existing database (or returns the instance already open).
   *
   * @throws NoSuchFileException naming the database and listing the existing ones if it is missing
   */
  public synchronized SqliteDatabase open(String name) throws IOException {
    DatabaseNames.requireValid(name);
    checkOpen();
    SqliteDatabase database = open.get(name);
    if (database != null) {
      return database;
    }
    Path file = fileOf(name);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(),
          null,
          "database '" + name + "' does not exist in " + dataDir + "; existing: " + list());
    }
    return openFile(name, file);
  }

  /** Opens the database, creating it (without settings) if missing. */
  public synchronized SqliteDatabase openOrCreate(String name) throws IOException {
    return exists(name) ? open(name) : create(name, Map.of());
  }

  /**
   * A database that does not exist yet, as the target of a restore that builds it aside and puts it
   * in place only when the whole chain applied and checked. Its {@link RestoreTarget#stage()} gives
   * a {@link org.periodicbackups.api.source.StagedRestore} over a new, empty database ({@code
   * .<name>.db.staging-<pid>-<n>} in the data folder, never {@linkplain #list() listed}), or empty
   * if the database exists by then; its {@link RestoreTarget#beginBatch()} always fails, saying to
   * stage. To restore into an existing database, {@link #open} it: an existing database is its own
   * target, written in place after the restore verified every file.
   *
   * <p>{@link RestoreTarget#stageImage} takes an image of {@link #IMAGE_FORMAT} only. It copies the
   * image to the staging file, checks its SQLite header and that it holds every page the header
   * counts, opens it as a database of this store (an older schema is migrated, a newer one
   * refused), and then removes, should the image hold any (this store's images do not), what a
   * logical restore would not bring either: system documents ({@code Raven/…}) and their
   * tombstones, which describe the source's backups and bundles rather than its data, and all plain
   * and secured settings: secured ones are sealed with the source folder's master key, and both
   * configure the source's own destinations. Etags continue from the image's sequence. The staged
   * restore's {@code check()} runs SQLite's integrity check; its {@code commit()} gives the file
   * its real name without replacing anything, after which {@link #open} opens it; its {@code
   * close()} without a commit deletes it.
   *
   * @throws FileAlreadyExistsException if the database exists
   * @throws IllegalArgumentException if the name breaks the naming rule
   */
  public synchronized RestoreTarget newDatabaseTarget(String name) throws IOException {
    DatabaseNames.requireValid(name);
    checkOpen();
    if (exists(name)) {
      throw new FileAlreadyExistsException(
          fileOf(name).toString(),
          null,
          "database '" + name + "' already exists; restore into it through open(\"" + name + "\")");
    }
    return new NewDatabaseTarget(this, name);
  }

  /** Whether a database with this name exists. */
  public synchronized boolean exists(String name) {
    DatabaseNames.requireValid(name);
    return open.containsKey(name) || Files.isRegularFile(fileOf(name));
  }

  /** The names of the databases in the data folder, sorted. */
  public synchronized List<String> list() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dataDir)) {
      files
          .map(path -> path.getFileName().toString())
          .filter(fileName -> fileName.endsWith(SUFFIX))
          .map(fileName -> fileName.substring(0, fileName.length() - SUFFIX.length()))
          .filter(DatabaseNames::isValid)
          .forEach(names::add);
    }
    names.sort(null);
    return names;
  }

  /**
   * Closes the database if open and deletes its files.
   *
   * @throws NoSuchFileException if it does not exist
   */
  public synchronized void delete(String name) throws IOException {
    DatabaseNames.requireValid(name);
    Path file = fileOf(name);
    SqliteDatabase database = open.get(name);
    if (database != null) {
      database.close();
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(),
          null,
          "database '" + name + "' does not exist in " + dataDir + "; existing: " + list());
    }
    deleteFiles(file);
  }

  /** Closes every open database; the store cannot be used afterwards. */
  @Override
  public synchronized void close() throws IOException {
    closed = true;
    IOException failure = null;
    for (SqliteDatabase database : List.copyOf(open.values())) {
      try {
        database.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    open.clear();
    if (failure != null) {
      throw failure;
    }
  }

  private SqliteDatabase openFile(String name, Path file) throws IOException {
    SqliteDatabase database = SqliteDatabase.open(name, file, masterKey, this::forget);
    open.put(name, database);
    return database;
  }

  private synchronized void forget(SqliteDatabase database) {
    open.remove(database.databaseName(), database);
  }

  private Path fileOf(String name) {
    return dataDir.resolve(name + SUFFIX);
  }

  /** The file of a database about to be staged, once leftovers of dead processes are gone. */
  synchronized Path prepareStaging(String name) throws IOException {
    checkOpen();
    TemporaryFiles.removeLeftovers(dataDir);
    return fileOf(name);
  }

  MasterKeySource masterKey() {
    return masterKey;
  }

  private static void deleteFiles(Path file) throws IOException {
    Files.deleteIfExists(Path.of(file + "-wal"));
    Files.deleteIfExists(Path.of(file + "-shm"));
    Files.deleteIfExists(BackupLockFile.of(file));
    Files.deleteIfExists(file);
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("the store over " + dataDir + " is closed");
    }
  }
}
