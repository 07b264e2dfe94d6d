package org.periodicbackups.api.destination;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A place that keeps backup files: a folder, an S3 bucket and prefix, a Glacier vault, or anything
 * a third-party provider offers.
 *
 * <p>Files are named by {@link StoredNames safe relative names}; names sort in restore order. The
 * contract every implementation keeps (and the compatibility kit checks):
 *
 * <ul>
 *   <li>{@link #upload} is atomic: when it returns, the whole file is stored; when it fails, no
 *       partial file is visible under the name;
 *   <li>{@link #open} returns exactly the uploaded bytes, or throws {@link
 *       BackupFileNotFoundException};
 *   <li>{@link #list} returns exactly the stored files under a prefix, with sizes, sorted by name;
 *   <li>{@link #delete} is idempotent.
 * </ul>
 *
 * <p>Implementations are thread-safe. {@link #toString()} and {@link #description()} never contain
 * secrets.
 */
public interface BackupDestination extends AutoCloseable {

  /** The name of the provider that created this destination, such as {@code filesystem}. */
  String providerName();

  /** Where files go, for logs and status: a path, {@code s3://bucket/prefix}; never secrets. */
  String description();

  /**
   * Where the files are, as a user looks for them: ordered pairs such as {@code bucket}, {@code
   * prefix}, {@code region}, {@code endpoint}, {@code storage class}, {@code folder}; never
   * secrets. Default: the {@link #description()}.
   */
  default Map<String, String> location() {
    return Map.of("where", description());
  }

  /** What this destination can do; see {@link DestinationCapabilities}. */
  default DestinationCapabilities capabilities() {
    return DestinationCapabilities.STANDARD;
  }

  /**
   * Conditional writes of small objects, if the store has an atomic primitive for them; see {@link
   * ConditionalWrites}. Default: none (for example Glacier vaults, whose archives cannot be
   * replaced).
   */
  default Optional<ConditionalWrites> conditionalWrites() {
    return Optional.empty();
  }

  /**
   * Files that need a retrieval before they can be read (archive storage classes, vaults), if this
   * destination can hold such files; see {@link ColdStorage}. Default: none.
   */
  default Optional<ColdStorage> coldStorage() {
    return Optional.empty();
  }

  /**
   * Write-once retention of the stored files (S3 Object Lock), if the setup asks for it; see {@link
   * ObjectLocks}. Default: none.
   */
  default Optional<ObjectLocks> objectLocks() {
    return Optional.empty();
  }

  /**
   * Checks with the store what the setup asks of it and only the store can tell, such as an S3
   * bucket having Object Lock enabled when files are to be locked. Called when a setup is saved;
   * may send a request or two but transfers no data. Default: nothing to check.
   *
   * @return warnings about what could not be checked (the store unreachable, no credentials yet),
   *     for the user to read; empty when all is known to be well
   * @throws org.periodicbackups.api.ConfigurationException naming the setup field and what is
   *     wrong, when the store answered that the setup cannot work
   */
  default List<String> checkSetup() throws IOException {
    return List.of();
  }

  /**
   * Stores the local {@code file} under {@code name}, replacing any file of that name. May block
   * for as long as the transfer takes.
   */
  StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException;

  /**
   * Lists the stored files whose name starts with {@code prefix} ({@code ""} for all), sorted by
   * name.
   */
  List<StoredFile> list(String prefix) throws IOException;

  /**
   * Opens a stored file for reading.
   *
   * @throws BackupFileNotFoundException if no file has this name
   */
  InputStream open(String name) throws IOException;

  /** Deletes a stored file; deleting a missing file does nothing. */
  void delete(String name) throws IOException;

  /** Releases clients and threads. */
  @Override
  default void close() throws IOException {}
}
