package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.core.dump.BackupFileName;

class RetentionPolicyTest {
  private static final Instant DAY1 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);

  /** Three chains (days 1, 2, 3), each a full and two incrementals an hour apart. */
  private static final List<StoredFile> LISTING = listing();

  private static final Instant CURRENT = DAY1.plus(DAY.multipliedBy(2));

  private static List<StoredFile> listing() {
    List<StoredFile> files = new ArrayList<>();
    for (int day = 0; day < 3; day++) {
      BackupFileName name = BackupFileName.full("shop", DAY1.plus(DAY.multipliedBy(day)));
      files.add(new StoredFile(name.path(), 10, name.path()));
      for (int hour = 1; hour <= 2; hour++) {
        name = name.next(name.createdAt().plus(Duration.ofHours(1)));
        files.add(new StoredFile(name.path(), 10, name.path()));
      }
    }
    files.add(new StoredFile("shop/README.txt", 1, "x"));
    files.add(new StoredFile(BackupFileName.full("other", DAY1).path(), 10, "y"));
    return files;
  }

  private static List<String> chainFiles(int day) {
    String chain = BackupFileName.full("shop", DAY1.plus(DAY.multipliedBy(day))).chainFolder();
    return LISTING.stream().map(StoredFile::name).filter(n -> n.startsWith(chain)).toList();
  }

  @Test
  void keepsTheNewestChainsAndDeletesWholeOlderChains() {
    List<String> doomed =
        new RetentionPolicy(2, null).filesToDelete(LISTING, "shop", CURRENT, CURRENT.plus(DAY));

    assertThat(doomed).containsExactlyElementsOf(chainFiles(0)).hasSize(3);
  }

  @Test
  void minimumAgeKeepsChainsWithRecentFiles() {
    Instant now = DAY1.plus(DAY).plus(Duration.ofHours(12));

    // Day 1's newest file is 34 hours old, day 2's is 10 hours old.
    assertThat(
            new RetentionPolicy(1, Duration.ofDays(2)).filesToDelete(LISTING, "shop", CURRENT, now))
        .isEmpty();
    assertThat(
            new RetentionPolicy(1, Duration.ofHours(12))
                .filesToDelete(LISTING, "shop", CURRENT, now))
        .containsExactlyElementsOf(chainFiles(0));
  }

  @Test
  void theCurrentChainIsNeverDeletedEvenWhenItIsNotTheNewestListed() {
    Instant olderCurrent = DAY1;

    List<String> doomed =
        new RetentionPolicy(1, null)
            .filesToDelete(LISTING, "shop", olderCurrent, CURRENT.plus(DAY));

    assertThat(doomed).doesNotContainAnyElementsOf(chainFiles(0));
  }

  @Test
  void otherDatabasesAndForeignFilesAreLeftAlone() {
    List<String> doomed =
        new RetentionPolicy(1, null).filesToDelete(LISTING, "shop", CURRENT, CURRENT.plus(DAY));

    assertThat(doomed).hasSize(6).noneMatch(n -> n.startsWith("other/") || n.endsWith(".txt"));
  }

  @Test
  void withoutRulesNothingIsDeleted() {
    assertThat(new RetentionPolicy(null, null).filesToDelete(LISTING, "shop", CURRENT, CURRENT))
        .isEmpty();
  }

  @Test
  void invalidValuesAreRefused() {
    assertThatThrownBy(() -> new RetentionPolicy(0, null)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new RetentionPolicy(null, Duration.ofSeconds(-1)))
        .hasMessageContaining("negative");
  }
}
