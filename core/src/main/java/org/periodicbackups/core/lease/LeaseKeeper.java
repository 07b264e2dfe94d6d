package org.periodicbackups.core.lease;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.ConditionalWrites;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.source.ChangeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes, keeps and gives up the backup leases of one engine (docs/DESIGN.md, "One writer per
 * chain"). A lease, once taken, is held between runs and renewed every third of its duration on a
 * daemon thread, so that a standby sees a live holder; {@link #close()} gives every lease up, so
 * that another writer can take over at once instead of after the lease expires. Thread-safe.
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final Duration LONGEST_POLL = Duration.ofSeconds(1);
  private static final int RACES = 5;

  private final Clock clock;
  private final Map<String, Lease> held = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> renewals = new ConcurrentHashMap<>();
  private ScheduledExecutorService renewer; // started with the first lease, stopped by close

  /** A keeper whose leases are timed by {@code clock}. */
  public LeaseKeeper(Clock clock) {
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * The lease of {@code source}'s database at every destination of {@code providers} that has
   * conditional writes: the one this keeper holds (renewed now), or a new one, waiting up to the
   * setup's {@code LeaseWaitMilliseconds} while another writer holds it.
   *
   * @return empty if no destination has conditional writes (nothing is held, as before leases)
   * @throws LeaseException naming the holder if another writer holds the lease after the wait
   */
  public Optional<Lease> hold(
      ChangeSource source,
      PeriodicBackupSetup setup,
      List<DestinationProvider> providers,
      DestinationContext context)
      throws IOException {
    String database = source.databaseName();
    Lease current = held.get(database);
    if (current != null) {
      current.duration(setup.leaseDuration());
      if (!current.ended() && current.key().equals(key(setup, providers))) {
        try {
          current.renew();
          return Optional.of(current);
        } catch (LeaseException e) {
          log.warn("{}", e.getMessage());
        }
      }
      drop(database, current);
    }
    List<Lease.Place> places = open(providers, context);
    if (places.isEmpty()) {
      return Optional.empty();
    }
    Lease lease;
    try {
      lease =
          acquire(
              database,
              LeaseWriter.of(source),
              places,
              setup,
              key(setup, providers),
              clock.instant());
    } catch (IOException | RuntimeException e) {
      for (Lease.Place place : places) {
        closeQuietly(place.destination);
      }
      throw e;
    }
    held.put(database, lease);
    long period = Math.max(1, setup.leaseDuration().toMillis() / 3);
    renewals.put(
        database,
        renewer()
            .scheduleWithFixedDelay(
                () -> renewInBackground(database, lease), period, period, TimeUnit.MILLISECONDS));
    return Optional.of(lease);
  }

  private synchronized ScheduledExecutorService renewer() {
    if (renewer == null) {
      renewer =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "pbk-lease-renewal");
                thread.setDaemon(true);
                return thread;
              });
    }
    return renewer;
  }

  /**
   * Gives up every lease (best effort) and stops renewing. The keeper may take leases again
   * afterwards.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (renewer != null) {
        renewer.shutdownNow();
        renewer = null;
      }
    }
    renewals.clear();
    held.forEach((database, lease) -> lease.release());
    held.clear();
  }

  private void renewInBackground(String database, Lease lease) {
    try {
      lease.renew();
    } catch (LeaseException e) {
      log.warn("{}", e.getMessage());
      drop(database, lease);
    } catch (IOException | RuntimeException e) {
      // A store that is briefly unreachable: the next renewal, or the next run, tries again.
      log.warn(
          "renewing the backup lease of '{}' failed ({}); retrying in {} ms",
          database,
          e.toString(),
          lease.duration().toMillis() / 3);
    }
  }

  private void drop(String database, Lease lease) {
    held.remove(database, lease);
    ScheduledFuture<?> renewal = renewals.remove(database);
    if (renewal != null) {
      renewal.cancel(false);
    }
    lease.release();
  }

  private static List<Lease.Place> open(
      List<DestinationProvider> providers, DestinationContext context) throws IOException {
    List<Lease.Place> places = new ArrayList<>();
    try {
      for (DestinationProvider provider : providers) {
        BackupDestination destination = provider.create(context);
        Optional<ConditionalWrites> writes = destination.conditionalWrites();
        if (writes.isPresent()) {
          places.add(new Lease.Place(destination, writes.get()));
        } else {
          closeQuietly(destination);
        }
      }
    } catch (IOException | RuntimeException e) {
      places.forEach(place -> closeQuietly(place.destination));
      throw e;
    }
    return places;
  }

  /** Where the lease is held: the providers and the setup's fields that say where files go. */
  private static String key(PeriodicBackupSetup setup, List<DestinationProvider> providers) {
    List<String> parts = new ArrayList<>();
    providers.forEach(p -> parts.add(p.name()));
    parts.add(String.valueOf(setup.localFolderName()));
    parts.add(String.valueOf(setup.s3BucketName()));
    parts.add(String.valueOf(setup.s3RemoteFolderName()));
    parts.add(String.valueOf(setup.awsRegionEndpoint()));
    parts.add(String.valueOf(setup.glacierVaultName()));
    parts.add(String.valueOf(setup.destinations()));
    return String.join("|", parts);
  }

  /**
   * Takes the lease at every place under one token, one more than the highest found, once no other
   * writer holds it anywhere; waits for that up to the setup's wait.
   */
  private Lease acquire(
      String database,
      LeaseWriter writer,
      List<Lease.Place> places,
      PeriodicBackupSetup setup,
      String key,
      Instant start)
      throws IOException {
    Instant deadline = start.plus(setup.leaseWait());
    String name = LeaseDocument.objectName(database);
    int races = 0;
    while (true) {
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // readable in messages
      List<Optional<ConditionalWrites.Version>> found = new ArrayList<>();
      Set<Long> previous = new HashSet<>();
      LeaseDocument blocking = null;
      Lease.Place blockingPlace = null;
      for (Lease.Place place : places) {
        Optional<ConditionalWrites.Version> version = place.writes.read(name);
        found.add(version);
        if (version.isPresent()) {
          LeaseDocument document =
              LeaseDocument.parse(
                  version.get().content(), place.destination.description() + ": " + name);
          previous.add(document.token());
          if (document.heldAt(now) && !document.writer().equals(writer.writer())) {
            blocking = document;
            blockingPlace = place;
          }
        }
      }
      if (blocking != null) {
        if (!now.isBefore(deadline)) {
          throw new LeaseException(heldMessage(database, blockingPlace, blocking, setup));
        }
        sleep(
            shortest(Duration.between(now, deadline), Duration.between(now, blocking.expiresAt())));
        continue;
      }
      long token = previous.stream().mapToLong(Long::longValue).max().orElse(0) + 1;
      LeaseDocument mine =
          new LeaseDocument(
              database,
              token,
              writer.host(),
              writer.process(),
              writer.writer(),
              now,
              now,
              now.plus(setup.leaseDuration()),
              false);
      if (writeAll(places, found, name, mine)) {
        if (!previous.isEmpty()) {
          log.info(
              "took the backup lease of '{}' with token {} (tokens before: {})",
              database,
              token,
              previous);
        }
        return new Lease(database, writer, places, previous, setup.leaseDuration(), clock, key);
      }
      // Another writer wrote a lease object between our read and our write: look again.
      if (++races >= RACES && !clock.instant().isBefore(deadline)) {
        throw new LeaseException(
            "the backup lease of database '"
                + database
                + "' changed under this writer "
                + races
                + " times while it tried to take it; another writer is taking it at the same"
                + " time");
      }
    }
  }

  /** Writes {@code mine} at every place; on a refusal, gives back what it wrote and says false. */
  private static boolean writeAll(
      List<Lease.Place> places,
      List<Optional<ConditionalWrites.Version>> found,
      String name,
      LeaseDocument mine)
      throws IOException {
    byte[] content = mine.toBytes();
    for (int i = 0; i < places.size(); i++) {
      Lease.Place place = places.get(i);
      Optional<ConditionalWrites.Version> before = found.get(i);
      Optional<ConditionalWrites.Version> written =
          before.isEmpty()
              ? place.writes.createIfAbsent(name, content)
              : place.writes.replaceIfUnchanged(name, before.get().tag(), content);
      if (written.isEmpty()) {
        for (int j = 0; j < i; j++) {
          Lease.Place done = places.get(j);
          done.writes.replaceIfUnchanged(name, done.tag, mine.releasedAt(mine.since()).toBytes());
        }
        return false;
      }
      place.tag = written.get().tag();
      place.document = mine;
    }
    return true;
  }

  private static String heldMessage(
      String database, Lease.Place place, LeaseDocument holder, PeriodicBackupSetup setup) {
    long waited = setup.leaseWait().toMillis();
    return "the backup lease of database '"
        + database
        + "' at "
        + place.destination.description()
        + " is held by "
        + holder.holder()
        + " (writer "
        + holder.writer()
        + ", token "
        + holder.token()
        + ") since "
        + holder.since()
        + "; it expires at "
        + holder.expiresAt()
        + " unless renewed. "
        + (waited == 0
            ? "This run backed up nothing (LeaseWaitMilliseconds is 0: fail at once)"
            : "This run waited " + waited + " ms (LeaseWaitMilliseconds) and backed up nothing")
        + "; one writer at a time keeps the chain restorable. Stop that writer to take over at"
        + " once (it gives the lease up), or set LeaseWaitMilliseconds to wait for it";
  }

  private static Duration shortest(Duration a, Duration b) {
    Duration d = a.compareTo(b) <= 0 ? a : b;
    if (d.compareTo(LONGEST_POLL) > 0) {
      d = LONGEST_POLL;
    }
    return d.isNegative() || d.isZero() ? Duration.ofMillis(10) : d;
  }

  private static void sleep(Duration duration) throws InterruptedIOException {
    try {
      Thread.sleep(duration.toMillis() + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a backup lease");
    }
  }

  private static void closeQuietly(BackupDestination destination) {
    try {
      destination.close();
    } catch (IOException | RuntimeException e) {
      log.warn("closing {} failed: {}", destination.description(), e.toString());
    }
  }
}
