package org.periodicbackups.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.testing.MemoryDestination;

class ChainRestorerTest {
  private static final Instant T0 = Instant.parse("2026-11-28T14:00:00.000Z");

  private final MemoryDestination destination = new MemoryDestination();
  private final MemoryTarget target = new MemoryTarget();
  private final ChainRestorer restorer = new ChainRestorer();
  private final MemoryDatabase shop = new MemoryDatabase("shop");
  private final List<String> files = new ArrayList<>();

  /** A full and two incrementals with puts, overwrites, deletions and attachments. */
  private void backUpThreeFiles() throws IOException {
    shop.put("users/1", "{\"Name\":\"Ann\"}")
        .put("users/2", "{\"Name\":\"Bob\"}")
        .putAttachment("files/a", "alpha".getBytes())
        .putAttachment("files/b", new byte[0]);
    files.add(shop.fullBackup(destination, T0));
    shop.put("users/1", "{\"Name\":\"Ann B.\"}")
        .delete("users/2")
        .put("users/3", "{\"N\":3}")
        .deleteAttachment("files/b");
    files.add(shop.backup(destination, T0.plusSeconds(600)));
    shop.putAttachment("files/a", "alpha 2".getBytes()).delete("users/3").put("users/4", "{}");
    files.add(shop.backup(destination, T0.plusSeconds(1200)));
  }

  @Nested
  class Planning {
    @Test
    void picksTheNewestChainOfTheOnlyDatabase() throws IOException {
      backUpThreeFiles();
      shop.put("users/9", "{}");
      String newFull = shop.fullBackup(destination, T0.plusSeconds(86_400));
      destination.put("shop/README.txt", new byte[1]);

      RestorePlan plan = restorer.plan(destination, RestoreRequest.latest());

      assertThat(plan.database()).isEqualTo("shop");
      assertThat(plan.files()).extracting(PlannedFile::storedName).containsExactly(newFull);
      assertThat(plan.ignoredNames()).containsExactly("shop/README.txt");
    }

    @Test
    void aNewerChainThatWasNeverContinuedLosesToTheChainWithTheLatestFile() throws IOException {
      backUpThreeFiles();
      shop.put("users/5", "{}");
      String unrecorded = shop.unrecordedFullBackup(destination, T0.plusSeconds(1800));
      shop.put("users/6", "{}").delete("users/1");
      String next = shop.backup(destination, T0.plusSeconds(2400));

      RestorePlan plan = restorer.plan(destination, RestoreRequest.latest("shop"));
      assertThat(plan.files())
          .extracting(PlannedFile::storedName)
          .containsExactly(files.get(0), files.get(1), files.get(2), next);
      restorer.restore(destination, plan, target);
      assertThat(target.state()).isEqualTo(shop.expectedState());

      assertThat(
              restorer
                  .plan(destination, RestoreRequest.latest().until(T0.plusSeconds(2000)))
                  .files())
          .extracting(PlannedFile::storedName)
          .containsExactly(unrecorded);
      assertThat(
              restorer
                  .plan(destination, RestoreRequest.latest().until(T0.plusSeconds(1500)))
                  .files())
          .extracting(PlannedFile::storedName)
          .containsExactly(files.get(0), files.get(1), files.get(2));
    }

    @Test
    void ignoresListedNamesThatCouldEscapeTheDestination() throws IOException {
      backUpThreeFiles();
      shop.put("users/9", "{}");
      String newFull = shop.fullBackup(destination, T0.plusSeconds(86_400));
      byte[] bytes = destination.files().remove(newFull);
      // A hostile listing: each name ends like the newest chain's full backup.
      List<String> unsafe =
          List.of("../" + newFull, "/" + newFull, "a/../" + newFull, "a\\b/" + newFull);
      unsafe.forEach(name -> destination.files().put(name, bytes));

      RestorePlan plan = restorer.plan(destination, RestoreRequest.latest("shop"));

      assertThat(plan.files()).extracting(PlannedFile::storedName).containsExactlyElementsOf(files);
      assertThat(plan.ignoredNames())
          .hasSize(4)
          .allSatisfy(name -> assertThat(name).endsWith("(not a safe relative name)"));
    }

    @Test
    void requiresADatabaseNameWhenSeveralArePresent() throws IOException {
      backUpThreeFiles();
      new MemoryDatabase("archive").put("a", "{}").fullBackup(destination, T0);

      assertThatThrownBy(() -> restorer.plan(destination, RestoreRequest.latest()))
          .isInstanceOf(RestoreException.class)
          .hasMessageContaining("several databases")
          .hasMessageContaining("[archive, shop]");
      assertThat(restorer.plan(destination, RestoreRequest.latest("shop")).files()).hasSize(3);
      assertThatThrownBy(() -> restorer.plan(destination, RestoreRequest.latest("nope")))
          .isInstanceOf(RestoreException.class)
          .hasMessageContaining("found backups of [archive, shop]");
    }

    @Test
    void stopsAtThePointInTimeRequested() throws IOException {
      backUpThreeFiles();

      RestorePlan plan =
          restorer.plan(destination, RestoreRequest.latest().until(T0.plusSeconds(1199)));

      assertThat(plan.files())
          .extracting(PlannedFile::storedName)
          .containsExactly(files.get(0), files.get(1));
      assertThatThrownBy(
              () -> restorer.plan(destination, RestoreRequest.latest().until(T0.minusSeconds(1))))
          .isInstanceOf(RestoreException.class)
          .hasMessageContaining("no backup chain");
    }

    @Test
    void stopsAtTheFileRequested() throws IOException {
      backUpThreeFiles();
      String lastSegment = files.get(1).substring(files.get(1).lastIndexOf('/') + 1);

      RestorePlan plan = restorer.plan(destination, RestoreRequest.latest().untilFile(lastSegment));

      assertThat(plan.files()).hasSize(2);
    }

    @Test
    void readsADestinationPointedAtADatabaseFolder() throws IOException {
      backUpThreeFiles();
      MemoryDestination folder = new MemoryDestination();
      destination
          .files()
          .forEach((name, bytes) -> folder.put(name.substring("shop/".length()), bytes));

      RestorePlan plan = restorer.plan(folder, RestoreRequest.latest("shop"));
      restorer.restore(folder, plan, target);

      assertThat(target.state()).isEqualTo(shop.expectedState());
      assertThatThrownBy(() -> restorer.plan(folder, RestoreRequest.latest()))
          .isInstanceOf(RestoreException.class)
          .hasMessageContaining("name the database");
    }

    @Test
    void rejectsAChainWithAMissingMiddleFile() throws IOException {
      backUpThreeFiles();
      destination.delete(files.get(1));

      assertThatThrownBy(() -> restorer.plan(destination, RestoreRequest.latest()))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageContaining("sequence 000001 is missing")
          .hasMessageContaining(files.get(0));
    }

    @Test
    void rejectsAChainWithoutItsFull() throws IOException {
      backUpThreeFiles();
      destination.delete(files.get(0));

      assertThatThrownBy(() -> restorer.plan(destination, RestoreRequest.latest()))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageContaining("no full backup");
    }
  }

  @Nested
  class Verification {
    @BeforeEach
    void chain() throws IOException {
      backUpThreeFiles();
    }

    @Test
    void reportsEveryFileOfASoundChain() throws IOException {
      ChainVerification verification =
          restorer.verify(destination, restorer.plan(destination, RestoreRequest.latest()));

      assertThat(verification.files()).hasSize(3);
      assertThat(verification.files().get(0).sha256())
          .isEqualTo(MemoryDatabase.sha256(destination.files().get(files.get(0))));
      assertThat(verification.files().get(1).counts().documentDeletions()).isEqualTo(1);
      assertThat(verification.toEtag()).isEqualTo(verification.files().get(2).header().toEtag());
    }

    @Test
    void catchesFilesInTheWrongOrder() throws IOException {
      byte[] second = destination.files().get(files.get(1));
      destination.put(files.get(1), destination.files().get(files.get(2)));
      destination.put(files.get(2), second);

      assertRefusedWithoutWrites(files.get(1), "broken chain");
    }

    @Test
    void catchesAFileOfAnotherDatabase() throws IOException {
      MemoryDestination other = new MemoryDestination();
      String otherFile = new MemoryDatabase("archive").put("x", "{}").fullBackup(other, T0);
      destination.put(files.get(0), other.files().get(otherFile));

      assertRefusedWithoutWrites(files.get(0), "database 'archive'");
    }

    @Test
    void catchesAFileChangedAfterTheBackup() throws IOException {
      destination.put(files.get(0), impostorFull());

      assertRefusedWithoutWrites(files.get(0), "checksum mismatch");
    }

    @Test
    void catchesACorruptFileBeforeWritingAnything() throws IOException {
      byte[] bytes = destination.files().get(files.get(2)).clone();
      bytes[bytes.length / 2] ^= 0x20;
      destination.put(files.get(2), bytes);

      assertRefusedWithoutWrites(files.get(2), "");
    }

    @Test
    void verifyAllReportsEveryChainAndGoesOnAfterABrokenOne() throws IOException {
      MemoryDatabase archive = new MemoryDatabase("archive");
      archive.put("a", "{}").fullBackup(destination, T0);
      archive.put("b", "{}").backup(destination, T0.plusSeconds(1));
      shop.put("z", "{}");
      shop.fullBackup(destination, T0.plusSeconds(86_400));
      destination.delete(files.get(1));

      VerificationReport report = restorer.verifyAll(destination);

      assertThat(report.chains())
          .extracting(ChainReport::database, ChainReport::ok)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("archive", true),
              org.assertj.core.groups.Tuple.tuple("shop", false),
              org.assertj.core.groups.Tuple.tuple("shop", true));
      assertThat(report.ok()).isFalse();
      assertThat(report.problems()).singleElement().asString().contains("000001 is missing");
    }

    private void assertRefusedWithoutWrites(String file, String problem) throws IOException {
      RestorePlan plan = restorer.plan(destination, RestoreRequest.latest());

      assertThatThrownBy(() -> restorer.restore(destination, plan, target))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageStartingWith(file + ": ")
          .hasMessageContaining(problem);
      assertThat(target.batchesBegun).as("batches begun on the target").isZero();
      assertThat(target.documents).isEmpty();
    }
  }

  @Nested
  class Applying {
    @Test
    void restoresFullAndIncrementalsToTheSourcesState() throws IOException {
      backUpThreeFiles();

      RestoreResult result =
          restorer.restore(
              destination, restorer.plan(destination, RestoreRequest.latest()), target);

      assertThat(target.state()).isEqualTo(shop.expectedState());
      assertThat(target.documents).containsOnlyKeys("users/1", "users/4");
      assertThat(target.attachments).containsOnlyKeys("files/a");
      assertThat(result.files()).hasSize(3);
      assertThat(result.deletions()).isEqualTo(3);
      assertThat(target.rollbacks).isZero();
    }

    @Test
    void readsEachFileOfAColdDestinationOnceForBothPasses() throws IOException {
      backUpThreeFiles();
      destination.capabilities(new DestinationCapabilities(false, false, Long.MAX_VALUE));
      RestorePlan plan = restorer.plan(destination, RestoreRequest.latest());
      destination.resetOpens();

      restorer.restore(destination, plan, target);

      assertThat(destination.opens()).isEqualTo(3);
      assertThat(target.state()).isEqualTo(shop.expectedState());
    }

    @Test
    void restoresToAPointInTime() throws IOException {
      backUpThreeFiles();

      restorer.restore(
          destination,
          restorer.plan(destination, RestoreRequest.latest().untilFile(files.get(1))),
          target);

      assertThat(target.documents).containsOnlyKeys("users/1", "users/3");
      assertThat(target.documents.get("users/1")).endsWith("{\"Name\":\"Ann B.\"}");
    }

    @Test
    void restoringTwiceGivesTheSameState() throws IOException {
      backUpThreeFiles();
      RestorePlan plan = restorer.plan(destination, RestoreRequest.latest());

      restorer.restore(destination, plan, target);
      Map<String, Map<String, String>> once = target.state();
      restorer.restore(destination, plan, target);

      assertThat(target.state()).isEqualTo(once).isEqualTo(shop.expectedState());
    }

    @Test
    void neverImportsSystemDocuments() throws IOException {
      shop.put("Raven/Backup/Periodic/Setup", "{\"IntervalMilliseconds\":1000}")
          .put("users/1", "{}");
      files.add(shop.fullBackup(destination, T0));
      shop.delete("Raven/Backup/Periodic/Setup");
      files.add(shop.backup(destination, T0.plusSeconds(1)));

      RestoreResult result =
          restorer.restore(
              destination, restorer.plan(destination, RestoreRequest.latest()), target);

      assertThat(target.documents).containsOnlyKeys("users/1");
      assertThat(result.systemDocumentsSkipped()).isEqualTo(2);
    }

    @Test
    void commitsInBatchesOfTheConfiguredSize() throws IOException {
      for (int i = 0; i < 25; i++) {
        shop.put("users/" + i, "{}");
      }
      shop.fullBackup(destination, T0);
      ChainRestorer smallBatches = new ChainRestorer(RestoreListener.NONE, 10, Long.MAX_VALUE);

      smallBatches.restore(
          destination, smallBatches.plan(destination, RestoreRequest.latest()), target);

      assertThat(target.commits).isEqualTo(3);
      assertThat(target.documents).hasSize(25);
    }

    @Test
    void restoresOneFileOnItsOwn() throws IOException {
      backUpThreeFiles();

      RestoreResult result = restorer.restoreFile(destination, files.get(2), target);

      assertThat(target.documents).containsOnlyKeys("users/4");
      assertThat(result.files().get(0).documentDeletions()).isEqualTo(1);
    }

    @Test
    void reportsProgressPerFileAndPhase() throws IOException {
      backUpThreeFiles();
      List<String> events = new ArrayList<>();
      ChainRestorer listening =
          new ChainRestorer(
              new RestoreListener() {
                @Override
                public void fileFinished(Phase phase, PlannedFile file, int index, int count) {
                  events.add(phase + " " + (index + 1) + "/" + count);
                }
              },
              1000,
              1 << 20);

      listening.restore(destination, listening.plan(destination, RestoreRequest.latest()), target);

      assertThat(events)
          .containsExactly(
              "VERIFY 1/3", "VERIFY 2/3", "VERIFY 3/3", "APPLY 1/3", "APPLY 2/3", "APPLY 3/3");
    }

    @Test
    void failsWhenAFileChangesBetweenVerificationAndApply() throws IOException {
      backUpThreeFiles();
      RestorePlan plan = restorer.plan(destination, RestoreRequest.latest());
      destination.changeAfterFirstRead(files.get(0), impostorFull());

      assertThatThrownBy(() -> restorer.restore(destination, plan, target))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageStartingWith(files.get(0) + ": ")
          .hasMessageContaining("changed between verification")
          .hasMessageContaining("partial restore");
      assertThat(target.commits).isZero();
      assertThat(target.rollbacks).isEqualTo(1);
    }
  }

  /** A valid full backup of "shop" with the same etag range as the real one, other content. */
  private static byte[] impostorFull() throws IOException {
    MemoryDatabase impostor = new MemoryDatabase("shop");
    impostor.put("users/1", "{\"Name\":\"Mallory\"}").put("a", "{}").put("b", "{}").put("c", "{}");
    MemoryDestination elsewhere = new MemoryDestination();
    return elsewhere.files().get(impostor.fullBackup(elsewhere, T0));
  }
}
