package org.periodicbackups.core.restore;

import java.io.IOException;
import org.periodicbackups.api.source.RestoreTarget;

/**
 * Where {@code pbk verify} builds a throw-away database from a snapshot file's image, to run the
 * store's integrity check on it without touching the data folder. The caller owns the location and
 * removes it after the verification.
 */
@FunctionalInterface
public interface ScratchTargets {
  /** A target for a new database named {@code database} in the scratch location. */
  RestoreTarget newTarget(String database) throws IOException;
}
