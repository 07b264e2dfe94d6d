package org.periodicbackups.tck.selftest;

import java.time.Duration;
import java.util.Set;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.tck.DestinationCompatibilityKit;
import org.periodicbackups.tck.selftest.FlawedDestination.Flaw;

/**
 * The kit extended for each {@link Flaw}, run by {@link KitSelfTest} through the JUnit Platform
 * Launcher. Named {@code *Subjects}, so that surefire does not run them as tests: most of them must
 * fail.
 */
final class MemorySubjects {
  static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY";

  private MemorySubjects() {}

  /** The kit against a memory destination with one flaw; small sizes keep the self-test fast. */
  abstract static class Subject extends DestinationCompatibilityKit {
    abstract Flaw flaw();

    @Override
    protected String providerName() {
      return MemoryDestinationProvider.NAME;
    }

    @Override
    protected PeriodicBackupSetup setupFor(String isolatedPrefix) {
      return MemoryDestinationProvider.setup(isolatedPrefix, flaw(), SECRET, listingPageSize());
    }

    @Override
    protected int listingPageSize() {
      return 25;
    }

    @Override
    protected Set<String> secrets() {
      return Set.of(SECRET);
    }

    @Override
    protected long largestFileToTest() {
      return 2L * 1024 * 1024;
    }

    @Override
    protected Duration maxListingWait() {
      return Duration.ofSeconds(1);
    }

    @Override
    protected Duration pollInterval() {
      return Duration.ofMillis(10);
    }
  }

  static class Correct extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.NONE;
    }
  }

  static class Cold extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.COLD;
    }
  }

  static class DropsLastByte extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.DROPS_LAST_BYTE;
    }
  }

  static class WrongOrder extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.WRONG_ORDER;
    }
  }

  static class IgnoresDeletes extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.IGNORES_DELETES;
    }
  }

  static class StaleAfterOverwrite extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.STALE_AFTER_OVERWRITE;
    }
  }

  static class PhantomUpload extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.PHANTOM_UPLOAD;
    }
  }

  static class LeaksSecret extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.LEAKS_SECRET;
    }
  }

  static class ForgetsContinuation extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.FORGETS_CONTINUATION;
    }
  }

  static class PagesDropPrefix extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.PAGES_DROP_PREFIX;
    }
  }

  static class OpensFirstPrefixMatch extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.OPENS_FIRST_PREFIX_MATCH;
    }
  }

  static class OpensLastPrefixMatch extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.OPENS_LAST_PREFIX_MATCH;
    }
  }

  static class DeletesByPrefix extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.DELETES_BY_PREFIX;
    }
  }

  static class ListsExactNameOnly extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.LISTS_EXACT_NAME_ONLY;
    }
  }

  static class FoldsCase extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.FOLDS_CASE;
    }
  }

  static class NormalizesUnicode extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.NORMALIZES_UNICODE;
    }
  }

  static class SignedSingleByteRead extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.SIGNED_SINGLE_BYTE_READ;
    }
  }

  static class WritesInPlace extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.WRITES_IN_PLACE;
    }
  }

  static class CreateOverwrites extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.CREATE_OVERWRITES;
    }
  }

  static class ReplaceIgnoresTag extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.REPLACE_IGNORES_TAG;
    }
  }

  static class CheckThenWrite extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.CHECK_THEN_WRITE;
    }
  }

  static class ConstantTag extends Subject {
    @Override
    Flaw flaw() {
      return Flaw.CONSTANT_TAG;
    }
  }
}
