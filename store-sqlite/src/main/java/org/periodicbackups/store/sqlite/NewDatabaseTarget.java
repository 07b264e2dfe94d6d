package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.periodicbackups.api.source.ImageFormat;
import org.periodicbackups.api.source.RestoreBatch;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.api.source.StagedRestore;

/**
 * A database of a store that does not exist yet, as a restore target: it is restored only through
 * {@link #stage()} or {@link #stageImage}, never written directly. See {@link
 * SqliteStore#newDatabaseTarget}.
 */
final class NewDatabaseTarget implements RestoreTarget {
  private static final List<ImageFormat> READABLE_IMAGES =
      IntStream.iterate(Schema.CURRENT_VERSION, version -> version >= 2, version -> version - 1)
          .mapToObj(version -> new ImageFormat(SqliteStore.IMAGE_FORMAT.name(), version))
          .toList();

  private final SqliteStore store;
  private final String name;

  NewDatabaseTarget(SqliteStore store, String name) {
    this.store = store;
    this.name = name;
  }

  @Override
  public String databaseName() {
    return name;
  }

  /**
   * Always fails: a new database is written through its {@link StagedRestore}.
   *
   * @throws IllegalStateException saying to call {@link #stage()}, or, if the database was created
   *     meanwhile, to restore into it through {@link SqliteStore#open}
   */
  @Override
  public RestoreBatch beginBatch() {
    if (store.exists(name)) {
      throw new IllegalStateException(
          "database '"
              + name
              + "' was created after this restore target; restore into it through"
              + " SqliteStore.open(\""
              + name
              + "\") instead");
    }
    throw new IllegalStateException(
        "database '"
            + name
            + "' does not exist yet: call stage() and write the restore into the StagedRestore,"
            + " which becomes the database on commit()");
  }

  /** A new staged database, or empty if the database exists by now. */
  @Override
  public Optional<StagedRestore> stage() throws IOException {
    if (store.exists(name)) {
      return Optional.empty();
    }
    return Optional.of(StagedDatabase.empty(name, store.prepareStaging(name), store.masterKey()));
  }

  /**
   * {@link SqliteStore#IMAGE_FORMAT} and the images of older schemas from version 2 on (the first
   * with images), which are brought to the current schema when the staged database is opened.
   */
  @Override
  public List<ImageFormat> imageFormats() {
    return READABLE_IMAGES;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IOException naming both formats if {@code format} is not {@link
   *     SqliteStore#IMAGE_FORMAT}; if the database exists by now; if the image is not a sound
   *     database of a schema this release reads
   */
  @Override
  public StagedRestore stageImage(ImageFormat format, InputStream image) throws IOException {
    requireNonNull(format, "format is null");
    requireNonNull(image, "image is null");
    if (!READABLE_IMAGES.contains(format)) {
      throw new IOException(
          "database '"
              + name
              + "' cannot be restored from an image of "
              + format
              + "; this store reads images of "
              + READABLE_IMAGES);
    }
    Path file = store.prepareStaging(name);
    if (store.exists(name)) {
      throw new FileAlreadyExistsException(
          file.toString(),
          null,
          "database '" + name + "' exists by now; an image restores only a new database");
    }
    return StagedDatabase.fromImage(name, file, store.masterKey(), image);
  }

  @Override
  public String toString() {
    return "NewDatabaseTarget[" + name + " in " + store.dataDir() + "]";
  }
}
