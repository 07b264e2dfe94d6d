package org.periodicbackups.core.lease;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.ConditionalWrites;

/** Who holds a database's backup lease at a destination, in one line for {@code pbk status}. */
public final class LeaseReport {
  private LeaseReport() {}

  /**
   * The lease of {@code database} at {@code destination} as of {@code now}: held (by whom, since
   * when, until when), released, expired, none yet, or why there is none; never throws.
   */
  public static String describe(BackupDestination destination, String database, Instant now) {
    Optional<ConditionalWrites> writes = destination.conditionalWrites();
    if (writes.isEmpty()) {
      return "none: no conditional writes here, so one writer per data folder only";
    }
    String name = LeaseDocument.objectName(database);
    try {
      Optional<ConditionalWrites.Version> version = writes.get().read(name);
      if (version.isEmpty()) {
        return "none yet: the next backup takes it";
      }
      LeaseDocument lease =
          LeaseDocument.parse(version.get().content(), destination.description() + ": " + name);
      if (lease.released()) {
        return "free: given up by "
            + lease.holder()
            + " (token "
            + lease.token()
            + ") at "
            + lease.renewedAt();
      }
      if (lease.heldAt(now)) {
        return "held by "
            + lease.holder()
            + " (writer "
            + lease.writer()
            + ", token "
            + lease.token()
            + ") since "
            + lease.since()
            + "; expires at "
            + lease.expiresAt()
            + " unless renewed";
      }
      return "free: "
          + lease.holder()
          + " (token "
          + lease.token()
          + ") let it expire at "
          + lease.expiresAt();
    } catch (IOException | RuntimeException e) {
      return "cannot be read: " + e.getMessage();
    }
  }
}
