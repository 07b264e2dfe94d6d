package org.periodicbackups.api.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A database that a backup chain can be restored into. The restore applies the files of a chain in
 * order, each in one or more {@link RestoreBatch batches}: either into the target itself, or, when
 * the target can {@link #stage()}, into a new database that replaces nothing and becomes the target
 * only once the whole chain applied and verified.
 */
public interface RestoreTarget {

  /** The database's name, for messages. */
  String databaseName();

  /** Starts a batch; only one batch is open at a time per target. */
  RestoreBatch beginBatch() throws IOException;

  /**
   * Starts a new database that becomes this target only when the whole restore succeeded (see
   * {@link StagedRestore}), if the target can: a target whose database does not exist yet. Empty
   * otherwise (the default), and then a restore verifies every file first and applies them in a
   * second pass to the target itself.
   */
  default Optional<StagedRestore> stage() throws IOException {
    return Optional.empty();
  }

  /**
   * The image formats {@link #stageImage} builds a database from; empty (the default) if this
   * target takes no image, and then a snapshot chain cannot be restored into it.
   */
  default List<ImageFormat> imageFormats() {
    return List.of();
  }

  /**
   * Starts a new database from an image read from {@code image} to its end, as {@link #stage()}
   * does from an empty one; the restore then applies the chain's incrementals to it. Called only
   * with one of {@link #imageFormats()} and only on a target whose {@link #stage()} is present.
   *
   * @throws IOException if the image cannot be written or read; nothing is left behind
   */
  default StagedRestore stageImage(ImageFormat format, InputStream image) throws IOException {
    throw new UnsupportedOperationException(
        "database '" + databaseName() + "' cannot be restored from an image of " + format);
  }

  /**
   * Computes what this database holds (counts and {@link ContentDigest digest}) from its items
   * themselves, not from any value kept beside them, so that a restore can prove the database it
   * built equals the source at the chain's cut. Empty (the default) if the target cannot; the
   * restore then reports the content as not checked.
   */
  default Optional<ContentDigest> computeContent() throws IOException {
    return Optional.empty();
  }
}
