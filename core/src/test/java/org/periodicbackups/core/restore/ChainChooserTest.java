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
