package org.periodicbackups.tck;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInfo;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;

/**
 * The rules every {@link BackupDestination} keeps, as JUnit 5 tests. Extend it in a test class,
 * name the provider and give a setup for an isolated prefix; see {@code tck/README.md} for the
 * rules (ids such as {@code S2.1} appear in every test name and failure message).
 *
 * <p>Before each test the kit finds the provider by name with {@link java.util.ServiceLoader},
 * creates a destination for a fresh isolated prefix and checks that it is empty (rule I1.1); after
 * each test it deletes what it finds and checks that the prefix is empty again (I1.2).
 *
 * <p>Rule groups are {@link Nested} inner classes delegating to one package-private class per
 * group. The round-trip (T) and fault (F) groups back up a seeded database with the real {@code
 * BackupEngine} and restore it with {@code ChainRestorer} into the embedded store.
 */
public abstract class DestinationCompatibilityKit {
  /** The seed used when the system property {@code pbk.tck.seed} is not set. */
  public static final long DEFAULT_SEED = 20261128L;

  private static final AtomicLong PREFIXES = new AtomicLong();

  private Fixture fixture;

  /** The {@link org.periodicbackups.api.destination.DestinationProvider#name()} to test. */
  protected abstract String providerName();

  /**
   * A setup that configures the provider to keep its files under {@code isolatedPrefix} only: a
   * sub-folder of a temporary folder, a key prefix inside a test bucket. The prefix is a fresh safe
   * name such as {@code tck-12-emptyFile} for every test.
   */
  protected abstract PeriodicBackupSetup setupFor(String isolatedPrefix) throws Exception;

  /**
   * The context the destination is created with; override to pass settings such as credentials. The
   * default has no settings and the database {@code tck}.
   */
  protected DestinationContext contextFor(PeriodicBackupSetup setup) {
    return DestinationContext.of("tck", setup);
  }

  /** Values that must never appear in descriptions or messages (R1.3); default none. */
  protected Set<String> secrets() {
    return Set.of();
  }

  /** How long a file may take to be listed when listing is not immediate (K2.1). */
  protected Duration maxListingWait() {
    return Duration.ofMinutes(1);
  }

  /** How long {@code open} may take when reads are not immediate (K2.2). */
  protected Duration maxReadWait() {
    return Duration.ofMinutes(1);
  }

  /** The pause between two listings while the kit waits for one. */
  protected Duration pollInterval() {
    return Duration.ofMillis(200);
  }

  /** The size of the large file of S2.4, capped by the declared maximum; default 12 MiB. */
  protected long largestFileToTest() {
    return 12L * 1024 * 1024;
  }

  /** How many uploads run at once in the concurrency rules; default 8. */
  protected int parallelUploads() {
    return 8;
  }

  /**
   * How many names the store returns per listing request: the long-listing rules (L) upload more
   * than one page of files. Default 1,000, the page of S3's {@code ListObjectsV2}; a destination
   * whose store pages differently returns its page, and a slow store may return less to shorten the
   * L rules (they then prove less about its real paging).
   */
  protected int listingPageSize() {
    return 1000;
  }

  /** The seed of all generated content: {@code -Dpbk.tck.seed} or {@link #DEFAULT_SEED}. */
  protected long seed() {
    return Long.getLong("pbk.tck.seed", DEFAULT_SEED);
  }

  /** The class loader in which {@link java.util.ServiceLoader} looks for the provider. */
  protected ClassLoader providerClassLoader() {
    return getClass().getClassLoader();
  }

  @BeforeEach
  void createIsolatedDestination(TestInfo test) throws Exception {
    String method = test.getTestMethod().map(m -> m.getName()).orElse("test");
    String prefix = "tck-" + PREFIXES.incrementAndGet() + "-" + method;
    fixture = Fixture.open(this, prefix);
    fixture.assertEmpty("I1.1 the isolated prefix '" + prefix + "' must be empty before a test");
  }

  @AfterEach
  void cleanIsolatedDestination() throws Exception {
    if (fixture != null) {
      fixture.cleanAndClose();
    }
  }

  /** The fixture of the running test; package-private for the rule groups. */
  Fixture fixture() {
    return fixture;
  }

  /** R: the provider is found and configured, and keeps secrets. */
  @Nested
  @DisplayName("R registration")
  class Registration extends RegistrationRules {
    Registration() {
      super(DestinationCompatibilityKit.this);
    }
  }

  /** S: what is uploaded is read and listed exactly. */
  @Nested
  @DisplayName("S storage")
  class Storage extends StorageRules {
    Storage() {
      super(DestinationCompatibilityKit.this);
    }
  }

  /** A: a failed upload leaves nothing and keeps the previous version. */
  @Nested
  @DisplayName("A atomicity")
  class Atomicity extends AtomicityRules {
    Atomicity() {
      super(DestinationCompatibilityKit.this);
    }
  }

  /** C: parallel uploads land intact. */
  @Nested
  @DisplayName("C concurrency")
  class Concurrency extends ConcurrencyRules {
    Concurrency() {
      super(DestinationCompatibilityKit.this);
    }
  }

  /** L: listings longer than one page are whole, also by prefix, and restore a long chain. */
  @Nested
  @DisplayName("L long listings")
  class LongListing extends LongListingRules {
    LongListing() {
      super(DestinationCompatibilityKit.this);
    }
  }

  /** W: conditional writes create once, replace only what was read, and lose no update. */
  @Nested
  @DisplayName("W conditional writes")
  class ConditionalWrite extends ConditionalWriteRules {
    ConditionalWrite() {
      super(DestinationCompatibilityKit.this);
    }
  }

  /** P and N: a name is a name, not a prefix of longer names; case is significant. */
  @Nested
  @DisplayName("P names that are prefixes of other names, N case")
  class Names extends NameRules {
    Names() {
      super(DestinationCompatibilityKit.this);
    }
  }

  /** K: capabilities are honest; cold storage is waited for within bounds. */
  @Nested
  @DisplayName("K capabilities and cold storage")
  class ColdStorage extends ColdStorageRules {
    ColdStorage() {
      super(DestinationCompatibilityKit.this);
    }
  }

  /** T: backed up by the real engine, restored from the destination alone, equal. */
  @Nested
  @DisplayName("T round trip through backup and restore")
  class RoundTrip extends RoundTripRules {
    RoundTrip() {
      super(DestinationCompatibilityKit.this);
    }
  }

  /** F: failed uploads and failed, short or corrupted reads never go unnoticed. */
  @Nested
  @DisplayName("F faults")
  class FaultInjection extends FaultRules {
    FaultInjection() {
      super(DestinationCompatibilityKit.this);
    }
  }
}
