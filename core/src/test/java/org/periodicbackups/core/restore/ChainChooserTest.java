package org.periodicbackups.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpCodec;

class ChainChooserTest {
  private static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");

  @Test
  void latestIsTheChainReachingTheLatestMomentNotTheNewestChain() throws Exception {
    List<PlannedFile> older = chain(T0, 3); // goes on to T0 + 3h
    List<PlannedFile> abandoned = chain(T0.plus(Duration.ofMinutes(90)), 1);
    TreeMap<Instant, List<PlannedFile>> chains = chains(older, abandoned);

    assertThat(ChainChooser.files(chains, RestoreRequest.latest("shop"), "shop", "here"))
        .isEqualTo(older);
  }

  @Test
  void untilTimeStopsAtTheLastFileCreatedByThen() throws Exception {
    List<PlannedFile> files = chain(T0, 3);
    TreeMap<Instant, List<PlannedFile>> chains = chains(files);

    assertThat(
            ChainChooser.files(
                chains,
                RestoreRequest.latest("shop").until(T0.plus(Duration.ofMinutes(150))),
                "shop",
                "here"))
        .isEqualTo(files.subList(0, 3));
  }

  @Test
  void untilFileStopsAtThatFile() throws Exception {
    List<PlannedFile> files = chain(T0, 3);
    String second = files.get(1).storedName();

    assertThat(
            ChainChooser.files(
                chains(files), RestoreRequest.latest("shop").untilFile(second), "shop", "here"))
        .isEqualTo(files.subList(0, 2));
    assertThatThrownBy(
            () ->
                ChainChooser.files(
                    chains(files),
                    RestoreRequest.latest("shop").untilFile("shop/none.json.gz"),
                    "shop",
                    "here"))
        .isInstanceOf(RestoreException.class)
        .hasMessageContaining("no backup file");
  }

  @Test
  void theNewerOfTwoFilesAtOnePositionSupersedesTheOlder() {
    List<PlannedFile> files = new ArrayList<>(chain(T0, 1));
    BackupFileName full = files.get(0).name();
    PlannedFile retried = planned(full.next(T0.plus(Duration.ofMinutes(61))));
    files.add(retried);
    List<String> ignored = new ArrayList<>();

    ChainChooser.dropSuperseded(files, ignored);

    assertThat(files).hasSize(2).last().isEqualTo(retried);
    assertThat(ignored)
        .singleElement()
        .asString()
        .contains("superseded by '" + retried.storedName() + "'");
  }

  /** A full at {@code start} and {@code incrementals} files an hour apart. */
  @Test
  void theRestoreReadsCompactedFilesFirstThenTheFinerTail() throws Exception {
    List<PlannedFile> files = chain(T0, 6);
    PlannedFile oneToThree =
        planned(
            files.get(1).name().compactedThrough(files.get(3).name(), 1, DumpCodec.GZIP, false));
    PlannedFile oneToFive =
        planned(
            files.get(1).name().compactedThrough(files.get(5).name(), 2, DumpCodec.GZIP, false));
    List<PlannedFile> chain = new ArrayList<>(files);
    chain.add(2, oneToThree);
    chain.add(3, oneToFive);

    assertThat(ChainChooser.files(chains(chain), RestoreRequest.latest("shop"), "shop", "here"))
        .containsExactly(files.get(0), oneToFive, files.get(6));
    // Until the time of file 4: the level-1 file (made at file 3's time), then file 4.
    assertThat(
            ChainChooser.files(
                chains(chain),
                RestoreRequest.latest("shop").until(files.get(4).name().createdAt()),
                "shop",
                "here"))
        .containsExactly(files.get(0), oneToThree, files.get(4));
    // Until a file: the fewest files that end with it.
    assertThat(
            ChainChooser.files(
                chains(chain),
                RestoreRequest.latest("shop").untilFile(files.get(4).storedName()),
                "shop",
                "here"))
        .containsExactly(files.get(0), oneToThree, files.get(4));
    // With the fine files removed, the compacted ones stand for them.
    List<PlannedFile> compactedOnly =
        new ArrayList<>(List.of(files.get(0), oneToThree, oneToFive, files.get(6)));
    assertThat(
            ChainChooser.files(
                chains(compactedOnly), RestoreRequest.latest("shop"), "shop", "here"))
        .containsExactly(files.get(0), oneToFive, files.get(6));
    // A removed file the compacted one ends with names the same state; one inside it cannot.
    assertThat(
            ChainChooser.files(
                chains(compactedOnly),
                RestoreRequest.latest("shop").untilFile(files.get(5).name().path()),
                "shop",
                "here"))
        .containsExactly(files.get(0), oneToFive);
    assertThatThrownBy(
            () ->
                ChainChooser.files(
                    chains(compactedOnly),
                    RestoreRequest.latest("shop").untilFile(files.get(4).name().path()),
                    "shop",
                    "here"))
        .isInstanceOf(RestoreException.class)
        .hasMessageContaining("was merged into '" + oneToFive.storedName() + "' and removed");
  }

  @Test
  void aGapThatNoCompactedFileCoversIsNamed() {
    List<PlannedFile> files = chain(T0, 5);
    PlannedFile oneToTwo =
        planned(
            files.get(1).name().compactedThrough(files.get(2).name(), 1, DumpCodec.GZIP, false));
    List<PlannedFile> chain =
        new ArrayList<>(List.of(files.get(0), oneToTwo, files.get(4), files.get(5)));

    assertThatThrownBy(
            () ->
                ChainLinks.requireContiguous(
                    ChainChooser.files(
                        chains(chain), RestoreRequest.latest("shop"), "shop", "here")))
        .hasMessageContaining("the file with sequence 000003 is missing");
  }

  private static List<PlannedFile> chain(Instant start, int incrementals) {
    List<PlannedFile> files = new ArrayList<>();
    BackupFileName name = BackupFileName.full("shop", start);
    files.add(planned(name));
    for (int i = 1; i <= incrementals; i++) {
      name = name.next(start.plus(Duration.ofHours(i)));
      files.add(planned(name));
    }
    return files;
  }

  @SafeVarargs
  private static TreeMap<Instant, List<PlannedFile>> chains(List<PlannedFile>... chains) {
    TreeMap<Instant, List<PlannedFile>> byStart = new TreeMap<>();
    for (List<PlannedFile> chain : chains) {
      byStart.put(chain.get(0).name().chainStart(), chain);
    }
    return byStart;
  }

  private static PlannedFile planned(BackupFileName name) {
    return new PlannedFile(name.path(), name, 100);
  }
}
