package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.core.restore.PlannedFile;
import org.periodicbackups.core.restore.VerificationReport;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * F: with the destination under test wrapped in a {@link FaultInjectingDestination}, a failed
 * upload never advances the status, and a failed, short or corrupted read never gives a restore
 * that silently differs from the source.
 */
abstract class FaultRules extends RuleGroup {

  FaultRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  private void assumeImmediateReads(String rule) {
    assumeTrue(
        f().capabilities.immediateReads(),
        rule
            + " skipped: destination declares no"
            + " immediate reads, and this rule restores the chain once per injected fault;"
            + " implement capabilities().immediateReads() to run it");
  }

  private static void assertUnchanged(
      String rule, PeriodicBackupStatus before, PeriodicBackupStatus after) {
    assertThat(
            List.of(
                after.lastDocsEtag(),
                after.lastAttachmentsEtag(),
                after.lastDocsDeletionEtag(),
                after.lastAttachmentDeletionEtag()))
        .as("%s status etags after a failed run", rule)
        .isEqualTo(
            List.of(
                before.lastDocsEtag(),
                before.lastAttachmentsEtag(),
                before.lastDocsDeletionEtag(),
                before.lastAttachmentDeletionEtag()));
    assertThat(after.history())
        .as("%s status history after a failed run", rule)
        .isEqualTo(before.history());
    assertThat(after.lastError()).as("%s LastError after a failed run", rule).isNotNull();
  }

  /** Fails an upload, changes more, backs up and checks that the restore has everything. */
  private void failedUploadThenRecovery(String rule, boolean storedBeforeFailing) throws Exception {
    BackupScenario s = BackupScenario.open(f(), rule, false);
    s.backUp(true);
    s.data.change(s.source, 1);
    PeriodicBackupStatus before = s.status();
    if (storedBeforeFailing) {
      s.faults.failUploadAfterStoring(1);
    } else {
      s.faults.failUpload(1);
    }
    assertThat(s.failingBackUp())
        .as("%s the run whose upload failed throws", rule)
        .isInstanceOf(IOException.class);
    assertUnchanged(rule, before, s.status());
    assertThat(s.status().lastError().message())
        .as("%s LastError", rule)
        .contains(FaultInjectingDestination.INJECTED);
    s.data.change(s.source, 2);
    s.backUp(false);
    assertThat(s.status().lastError()).as("%s LastError after a successful run", rule).isNull();
    FaultInjectingDestination destination = s.freshDestination();
    SqliteDatabase target = s.emptyTarget();
    s.restore(destination, BackupScenario.latest(), target);
    s.assertEqual("the restore after a failed run", BackupScenario.contents(s.source), target);
    VerificationReport report = s.verifyAll(destination);
    assertThat(report.problems()).as("%s verify after a failed run", rule).isEmpty();
  }

  @Test
  @DisplayName("F1.1 a failed upload leaves the status as it was; the next run covers it all")
  void failedUploadIsCoveredByTheNextRun() throws Exception {
    failedUploadThenRecovery("F1.1", false);
  }

  @Test
  @DisplayName("F1.5 an upload stored but reported failed is superseded by the next run")
  void storedButFailedUploadIsSuperseded() throws Exception {
    failedUploadThenRecovery("F1.5", true);
  }

  /**
   * Backs up a full and an incremental file, then restores the chain once for every fault of {@code
   * arms} at every {@code open} of the restore (each file is opened to verify it, then to apply
   * it), and hands each outcome to {@code check}.
   */
  private void restoreWithFaultAtEachOpen(String rule, List<FaultAtOpen> arms, OutcomeCheck check)
      throws Exception {
    BackupScenario s = BackupScenario.open(f(), rule, false).fullAndIncrementals(1);
    FaultInjectingDestination destination = s.freshDestination();
    List<PlannedFile> files = s.plan(destination).files();
    DatabaseContents expected = BackupScenario.contents(s.source);
    int n = files.size();
    for (int i = 0; i < 2 * n * arms.size(); i++) {
      int k = i % (2 * n) + 1;
      FaultAtOpen arm = arms.get(i / (2 * n));
      PlannedFile file = files.get((k - 1) % n);
      boolean verifying = k <= n;
      s.faults.clear();
      String fault = arm.inject(s.faults, k, file);
      SqliteDatabase target = s.emptyTarget();
      Throwable thrown =
          catchThrowable(
              () -> BackupScenario.restoreOrThrow(destination, BackupScenario.latest(), target));
      String where =
          fault
              + " of '"
              + file.storedName()
              + "' (open #"
              + k
              + ", during "
              + (verifying ? "verification" : "apply")
              + ")";
      check.accept(new Outcome(rule, s, where, file, verifying, thrown, target, expected));
    }
    s.faults.clear();
    SqliteDatabase clean = s.emptyTarget();
    s.restore(destination, BackupScenario.latest(), clean);
    s.assertEqual("a restore without faults afterwards", expected, clean);
  }

  /** Arms one fault for the {@code k}-th open, of {@code file}; returns what it does. */
  @FunctionalInterface
  private interface FaultAtOpen {
    String inject(Faults faults, int k, PlannedFile file);
  }

  /** Checks the outcome of one restore with one fault. */
  @FunctionalInterface
  private interface OutcomeCheck {
    void accept(Outcome outcome) throws IOException;
  }

  /** One restore with one fault. */
  private record Outcome(
      String rule,
      BackupScenario s,
      String where,
      PlannedFile file,
      boolean verifying,
      Throwable thrown,
      SqliteDatabase target,
      DatabaseContents expected) {

    void assertFailed(Class<? extends Throwable> type) {
      assertThat(thrown).as("%s the restore with %s must fail", rule, where).isInstanceOf(type);
    }

    void assertNamesTheFile() {
      assertFailed(InvalidBackupException.class);
      assertThat(((InvalidBackupException) thrown).fileName())
          .as("%s the file named by the error for %s", rule, where)
          .isEqualTo(file.storedName());
    }

    void assertTargetEmptyIfVerifying() throws IOException {
      if (verifying) {
        DatabaseContents left = BackupScenario.contents(target);
        assertThat(left.documents().size() + left.attachments().size())
            .as(
                "%s documents and attachments written to the target although %s failed"
                    + " verification",
                rule, where)
            .isZero();
      }
    }
  }

  @Test
  @DisplayName(
      "F1.2 a failing open or read fails the restore; during verification nothing is" + " written")
  void failingReadFailsTheRestore() throws Exception {
    assumeImmediateReads("F1.2");
    restoreWithFaultAtEachOpen(
        "F1.2",
        List.of(
            (faults, k, file) -> {
              faults.failOpen(k);
              return "a failing open";
            },
            (faults, k, file) -> {
              faults.failReadAfter(k, file.size() / 2);
              return "a read failing after " + file.size() / 2 + " bytes";
            }),
        o -> {
          o.assertFailed(IOException.class);
          o.assertTargetEmptyIfVerifying();
        });
  }

  @Test
  @DisplayName("F1.3 a read that ends early without an error is detected, naming the file")
  void truncatedReadIsDetected() throws Exception {
    assumeImmediateReads("F1.3");
    restoreWithFaultAtEachOpen(
        "F1.3",
        List.of(
            (faults, k, file) -> {
              faults.truncateRead(k, 1);
              return "a read ending 1 byte early";
            },
            (faults, k, file) -> {
              int dropped = (int) Math.max(1, file.size() / 2);
              faults.truncateRead(k, dropped);
              return "a read ending " + dropped + " bytes early";
            }),
        o -> {
          o.assertNamesTheFile();
          o.assertTargetEmptyIfVerifying();
        });
  }

  @Test
  @DisplayName(
      "F1.4 a flipped byte fails the restore before anything is written, or changes" + " nothing")
  void flippedByteIsDetected() throws Exception {
    assumeImmediateReads("F1.4");
    restoreWithFaultAtEachOpen(
        "F1.4",
        List.of(
            (faults, k, file) -> {
              faults.flipByte(k, file.size() / 2);
              return "a read with byte " + file.size() / 2 + " flipped";
            },
            (faults, k, file) -> {
              faults.flipByte(k, file.size() - 1);
              return "a read with its last byte flipped";
            }),
        o -> {
          if (o.thrown() == null) {
            o.s().assertEqual("a restore that accepted " + o.where(), o.expected(), o.target());
            return;
          }
          // A damaged file must be refused as such, naming it, never with some other error.
          assertThat(o.thrown())
              .as("%s the error for %s", o.rule(), o.where())
              .isInstanceOf(InvalidBackupException.class);
          assertThat(((InvalidBackupException) o.thrown()).fileName())
              .as("%s the file named by the error for %s", o.rule(), o.where())
              .isEqualTo(o.file().storedName());
          o.assertTargetEmptyIfVerifying();
        });
  }
}
