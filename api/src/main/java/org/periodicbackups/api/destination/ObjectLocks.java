package org.periodicbackups.api.destination;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Write-once retention of stored files, such as S3 Object Lock: until its retain-until date a file
 * can be neither deleted nor overwritten, by this software, by a mistake or by ransomware holding
 * the credentials. A destination that offers it locks every file it uploads until {@link
 * #retainUntil} of the upload time; the engine extends the locks of a chain's earlier files so that
 * none expires before the newest (see docs/DESIGN.md, "Cold and immutable storage").
 */
public interface ObjectLocks {

  /** The lock mode, such as {@code GOVERNANCE} or {@code COMPLIANCE}. */
  String mode();

  /** How long every file stays locked at least, counted from its upload. */
  Duration period();

  /**
   * The retain-until date of a file uploaded at {@code at}: the end of the UTC day in which {@code
   * at + period} falls. Rounding up to whole days means the earlier files of a chain need their
   * locks extended at most once a day, not at every upload.
   */
  default Instant retainUntil(Instant at) {
    return at.plus(period()).truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
  }

  /**
   * The retain-until date of a stored file, read from its metadata (no data is read); empty when
   * the file is missing or carries no lock.
   */
  Optional<Instant> lockedUntil(String name) throws IOException;

  /**
   * Makes sure {@code name} stays locked until at least {@code until}, in {@link #mode()}; never
   * shortens a lock.
   */
  void extend(String name, Instant until) throws IOException;
}
