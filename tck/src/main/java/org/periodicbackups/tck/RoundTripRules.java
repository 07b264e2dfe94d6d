package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.core.restore.VerificationReport;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * T: a seeded database backed up by the real engine to the destination, then restored from the
 * destination alone into an empty database, equals the source at every backup.
 */
abstract class RoundTripRules extends RuleGroup {

  RoundTripRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("T1.1 a full backup restores equal to the source")
  void fullBackupRestoresEqual() throws Exception {
    BackupScenario s = BackupScenario.open(f(), "T1.1", true);
    s.backUp(true);
    SqliteDatabase target = s.emptyTarget();
    RestoreResult result = s.restore(s.freshDestination(), BackupScenario.latest(), target);
    assertThat(result.files()).as("T1.1 files restored").hasSize(1);
    s.assertEqual("the restore of the full backup", s.backups.get(0).contents(), target);
  }

  @Test
  @DisplayName("T1.2 a full backup and its incrementals restore equal to the latest state")
  void chainRestoresEqualToLatest() throws Exception {
    BackupScenario s = BackupScenario.open(f(), "T1.2", true).fullAndIncrementals();
    SqliteDatabase target = s.emptyTarget();
    RestoreResult result = s.restore(s.freshDestination(), BackupScenario.latest(), target);
    assertThat(result.files()).as("T1.2 files restored").hasSize(s.backups.size());
    s.assertEqual("the restore of the chain", BackupScenario.contents(s.source), target);
  }

  @Test
  @DisplayName("T1.3 restoring up to each file gives the source as of that backup")
  void everyPointInTimeRestoresEqual() throws Exception {
    assumeTrue(
        f().capabilities.immediateReads(),
        "T1.3 skipped: destination declares no"
            + " immediate reads, and restoring every point in time reads each file many times;"
            + " implement capabilities().immediateReads() to run it");
    BackupScenario s = BackupScenario.open(f(), "T1.3", true).fullAndIncrementals();
    FaultInjectingDestination destination = s.freshDestination();
    for (BackupScenario.Backup backup : s.backups) {
      SqliteDatabase target = s.emptyTarget();
      s.restore(destination, BackupScenario.latest().untilFile(backup.fileName()), target);
      s.assertEqual("the restore up to '" + backup.fileName() + "'", backup.contents(), target);
    }
  }

  @Test
  @DisplayName("T1.4 deletions of documents and attachments are restored")
  void deletionsAreRestored() throws Exception {
    BackupScenario s = BackupScenario.open(f(), "T1.4", true).fullAndIncrementals();
    SqliteDatabase target = s.emptyTarget();
    s.restore(s.freshDestination(), BackupScenario.latest(), target);
    DatabaseContents restored = BackupScenario.contents(target);
    assertThat(restored.documents())
        .as("T1.4 documents deleted in the source")
        .doesNotContainKeys(SourceData.DELETED_DOCUMENTS.toArray(String[]::new));
    assertThat(restored.attachments())
        .as("T1.4 attachments deleted in the source")
        .doesNotContainKeys(SourceData.DELETED_ATTACHMENTS.toArray(String[]::new));
    assertThat(restored.documents())
        .as("T1.4 a document deleted, then written again")
        .containsKey(SourceData.key(30));
    assertThat(restored.attachments())
        .as("T1.4 an attachment deleted, then written again")
        .containsKey(SourceData.EMPTY);
    s.assertEqual("the restore of the chain", BackupScenario.contents(s.source), target);
  }

  @Test
  @DisplayName("T1.5 a restore needs nothing but the destination")
  void restoreNeedsOnlyTheDestination() throws Exception {
    BackupScenario s = BackupScenario.open(f(), "T1.5", true).fullAndIncrementals();
    DatabaseContents expected = BackupScenario.contents(s.source);
    s.close(); // the source, its setup and status documents are gone
    Path elsewhere = f().scratch().resolve("elsewhere");
    try (SqliteStore store = new SqliteStore(elsewhere)) {
      SqliteDatabase target = store.create("restored", Map.of());
      s.restore(s.freshDestination(), BackupScenario.latest(), target);
      s.assertEqual("a restore on another machine", expected, target);
      assertThat(target.getSystemDocument(SystemDocuments.STATUS_KEY))
          .as("T1.5 the status document is never restored")
          .isEmpty();
      assertThat(target.getSystemDocument(SystemDocuments.SETUP_KEY))
          .as("T1.5 the setup document is never restored")
          .isEmpty();
    }
  }

  @Test
  @DisplayName("T1.6 verify reads every file and reports the chain sound")
  void verifyReportsTheChainSound() throws Exception {
    BackupScenario s = BackupScenario.open(f(), "T1.6", false).fullAndIncrementals();
    VerificationReport report = s.verifyAll(s.freshDestination());
    assertThat(report.problems()).as("T1.6 problems verify found").isEmpty();
    assertThat(report.chains()).as("T1.6 chains found").hasSize(1);
    assertThat(report.chains().get(0).files()).as("T1.6 files verified").hasSize(s.backups.size());
    assertThat(report.ignoredNames()).as("T1.6 listed names that are not backup files").isEmpty();
  }

  @Test
  @DisplayName("T1.7 a new full backup starts a new chain; the older chain stays restorable")
  void secondChainRestoresAndOlderStaysRestorable() throws Exception {
    BackupScenario s = BackupScenario.open(f(), "T1.7", false);
    s.backUp(true);
    s.data.change(s.source, 1);
    s.backUp(false);
    s.data.change(s.source, 2);
    s.backUp(true);
    s.data.change(s.source, 3);
    s.backUp(false);
    FaultInjectingDestination destination = s.freshDestination();
    SqliteDatabase latest = s.emptyTarget();
    RestoreResult result = s.restore(destination, BackupScenario.latest(), latest);
    assertThat(result.files()).as("T1.7 files of the newest chain restored").hasSize(2);
    s.assertEqual("the restore of the newest chain", s.backups.get(3).contents(), latest);
    SqliteDatabase older = s.emptyTarget();
    s.restore(destination, BackupScenario.latest().untilFile(s.backups.get(1).fileName()), older);
    s.assertEqual("the restore of the older chain", s.backups.get(1).contents(), older);
  }

  @Test
  @DisplayName("T1.8 restoring the same chain twice gives the same database")
  void restoringTwiceGivesTheSameDatabase() throws Exception {
    BackupScenario s = BackupScenario.open(f(), "T1.8", false).fullAndIncrementals();
    FaultInjectingDestination destination = s.freshDestination();
    SqliteDatabase target = s.emptyTarget();
    s.restore(destination, BackupScenario.latest(), target);
    s.restore(destination, BackupScenario.latest(), target);
    s.assertEqual("a chain restored twice", BackupScenario.contents(s.source), target);
  }

  @Test
  @DisplayName("T2.1 a snapshot chain (image and incrementals) restores equal to the latest state")
  void snapshotChainRestoresEqualToLatest() throws Exception {
    BackupScenario s = BackupScenario.open(f(), "T2.1", true, true).fullAndIncrementals();
    assertThat(s.backups.get(0).fileName())
        .as("T2.1 the full backup of a Snapshot setup is an image")
        .contains(".snapshot.img.");
    SqliteDatabase target = s.restoreIntoNew(s.freshDestination(), BackupScenario.latest());
    s.assertEqual("the restore of the snapshot chain", BackupScenario.contents(s.source), target);
    assertThat(s.verifyAll(s.freshDestination()).ok()).as("T2.1 verify of the chain").isTrue();
  }

  @Test
  @DisplayName("T2.2 restoring a snapshot chain up to each file gives the source as of that backup")
  void everyPointInTimeOfASnapshotChainRestoresEqual() throws Exception {
    assumeTrue(
        f().capabilities.immediateReads(),
        "T2.2 skipped: destination declares no immediate reads, and restoring every point in"
            + " time reads each file many times; implement capabilities().immediateReads() to run"
            + " it");
    BackupScenario s = BackupScenario.open(f(), "T2.2", false, true).fullAndIncrementals();
    FaultInjectingDestination destination = s.freshDestination();
    for (BackupScenario.Backup backup : s.backups) {
      SqliteDatabase target =
          s.restoreIntoNew(destination, BackupScenario.latest().untilFile(backup.fileName()));
      s.assertEqual("the restore up to '" + backup.fileName() + "'", backup.contents(), target);
    }
  }

  @Test
  @DisplayName(
      "T2.3 a snapshot chain restores from the destination alone, without system documents")
  void snapshotChainRestoresFromTheDestinationAlone() throws Exception {
    BackupScenario s = BackupScenario.open(f(), "T2.3", false, true).fullAndIncrementals(1);
    DatabaseContents expected = BackupScenario.contents(s.source);
    s.close(); // the source, its setup and status documents are gone
    Path elsewhere = f().scratch().resolve("elsewhere");
    try (SqliteStore store = new SqliteStore(elsewhere)) {
      try {
        BackupScenario.restoreOrThrow(
            s.freshDestination(), BackupScenario.latest(), store.newDatabaseTarget("restored"));
      } catch (IOException | RuntimeException e) {
        throw new AssertionError(
            "T2.3: restore of the snapshot chain into a new database failed: " + e, e);
      }
      SqliteDatabase target = store.open("restored");
      s.assertEqual("a snapshot restore on another machine", expected, target);
      assertThat(target.getSystemDocument(SystemDocuments.STATUS_KEY))
          .as("T2.3 the status document is never restored, not even from an image")
          .isEmpty();
      assertThat(target.getSystemDocument(SystemDocuments.SETUP_KEY))
          .as("T2.3 the setup document is never restored, not even from an image")
          .isEmpty();
    }
  }
}
