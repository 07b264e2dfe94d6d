package org.periodicbackups.core.lease;

import java.io.IOException;

/**
 * A backup run could not hold the lease of its database at a destination: another writer holds it,
 * or took it over during the run. The message names the destination, the holder, since when and
 * until when; the run wrote nothing that counts (docs/DESIGN.md, "One writer per chain").
 */
public final class LeaseException extends IOException {
  private static final long serialVersionUID = 1L;

  LeaseException(String message) {
    super(message);
  }
}
