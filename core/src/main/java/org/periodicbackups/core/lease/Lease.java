package org.periodicbackups.core.lease;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.ConditionalWrites;
import org.periodicbackups.core.dump.LeaseFence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease of one database held at every destination of its setup that has conditional writes,
 * under one fencing token. Renewing replaces each lease object only if it is still the version this
 * holder wrote, so a holder that was paused past its lease finds out before it writes (and after:
 * the engine renews again after its uploads). Thread-safe.
 */
public final class Lease {
  private static final Logger log = LoggerFactory.getLogger(Lease.class);

  /** One destination's lease object as this holder last wrote it. */
  static final class Place {
    final BackupDestination destination;
    final ConditionalWrites writes;
    String tag;
    LeaseDocument document;

    Place(BackupDestination destination, ConditionalWrites writes) {
      this.destination = destination;
      this.writes = writes;
    }
  }

  private final String database;
  private final LeaseWriter writer;
  private final List<Place> places;
  private final Set<Long> previousTokens;
  private final Clock clock;
  private final String key;
  private Duration duration;
  private LeaseException lost;
  private boolean released;

  Lease(
      String database,
      LeaseWriter writer,
      List<Place> places,
      Set<Long> previousTokens,
      Duration duration,
      Clock clock,
      String key) {
    this.database = database;
    this.writer = writer;
    this.places = List.copyOf(places);
    this.previousTokens = Set.copyOf(previousTokens);
    this.duration = duration;
    this.clock = clock;
    this.key = key;
  }

  /** The fencing token, the same at every destination of this lease. */
  public long token() {
    return places.get(0).document.token();
  }

  /** What a file written under this lease records in its header. */
  public LeaseFence fence() {
    return new LeaseFence(token(), writer.description());
  }

  /**
   * Whether a run may continue the chain whose last file was written under {@code lastToken} (null:
   * under no lease): only if no other writer held the lease since. A takeover starts a new chain.
   */
  public boolean continuesChainOf(Long lastToken) {
    if (lastToken != null && lastToken == token()) {
      return true;
    }
    if (previousTokens.isEmpty()) {
      return true; // no lease was ever taken here: the first holder continues what it has
    }
    return lastToken != null && previousTokens.equals(Set.of(lastToken));
  }

  /** The tokens the lease objects held before this holder took them; empty if there were none. */
  Set<Long> previousTokens() {
    return previousTokens;
  }

  /** Which destinations, in order: tells a lease for another setup's destinations apart. */
  String key() {
    return key;
  }

  synchronized void duration(Duration duration) {
    this.duration = duration;
  }

  synchronized Duration duration() {
    return duration;
  }

  /** Whether the lease was lost or released; such a lease is never held again. */
  synchronized boolean ended() {
    return lost != null || released;
  }

  /**
   * Renews the lease at every destination for another duration.
   *
   * @throws LeaseException naming the new holder if another writer took the lease over at any
   *     destination; the lease is then given up at the others
   */
  public synchronized void renew() throws IOException {
    if (lost != null) {
      throw new LeaseException(lost.getMessage());
    }
    if (released) {
      throw new IllegalStateException("the lease of '" + database + "' was released");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    for (Place place : places) {
      LeaseDocument renewed = place.document.renewed(now, duration);
      String name = LeaseDocument.objectName(database);
      Optional<ConditionalWrites.Version> written =
          place.writes.replaceIfUnchanged(name, place.tag, renewed.toBytes());
      if (written.isEmpty()) {
        lost = new LeaseException(takenOverMessage(place, name));
        releaseAll(place);
        throw new LeaseException(lost.getMessage());
      }
      place.tag = written.get().tag();
      place.document = renewed;
    }
  }

  private String takenOverMessage(Place place, String name) {
    String now;
    try {
      Optional<ConditionalWrites.Version> current = place.writes.read(name);
      if (current.isEmpty()) {
        now = "it was removed";
      } else {
        LeaseDocument other =
            LeaseDocument.parse(
                current.get().content(), place.destination.description() + ": " + name);
        now =
            "it is now held by "
                + other.holder()
                + " with token "
                + other.token()
                + " since "
                + other.since();
      }
    } catch (IOException | RuntimeException e) {
      now = "reading who holds it now failed: " + e.getMessage();
    }
    return "the backup lease of database '"
        + database
        + "' at "
        + place.destination.description()
        + " (token "
        + token()
        + ", held by this process since "
        + place.document.since()
        + ") was taken over: "
        + now
        + "; this writer writes nothing more to the chain until it holds the lease again";
  }

  /** Gives the lease up at every destination (best effort) and closes the destinations. */
  public synchronized void release() {
    if (released) {
      return;
    }
    releaseAll(null);
  }

  private void releaseAll(Place except) {
    released = true;
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    for (Place place : places) {
      try {
        if (place != except) {
          // Only if still ours: a lease another writer took over is left as it is.
          place.writes.replaceIfUnchanged(
              LeaseDocument.objectName(database),
              place.tag,
              place.document.releasedAt(now).toBytes());
        }
      } catch (IOException | RuntimeException e) {
        log.warn(
            "giving up the backup lease of '{}' at {} failed ({}); it expires at {}",
            database,
            place.destination.description(),
            e.toString(),
            place.document.expiresAt());
      }
      try {
        place.destination.close();
      } catch (IOException | RuntimeException e) {
        log.warn("closing {} failed: {}", place.destination.description(), e.toString());
      }
    }
  }
}
