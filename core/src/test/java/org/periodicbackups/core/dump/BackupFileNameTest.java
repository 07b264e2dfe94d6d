package org.periodicbackups.core.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.model.BackupType;

class BackupFileNameTest {
  private static final Instant T0 = Instant.parse("2026-11-28T14:43:00.123Z");

  @Test
  void formatsFullNameWithFixedWidthUtcTimes() {
    BackupFileName full = BackupFileName.full("shop", T0);

    assertThat(full.path())
        .isEqualTo("shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz");
    assertThat(full.toString()).isEqualTo(full.path());
    assertThat(StoredNames.isSafe(full.path())).isTrue();
  }

  @Test
  void nextIsTheFollowingIncrementalOfTheSameChain() {
    BackupFileName next = BackupFileName.full("shop", T0).next(T0.plusSeconds(3600));

    assertThat(next.path())
        .isEqualTo("shop/20261128T144300.123Z/000001-20261128T154300.123Z.incremental.json.gz");
    assertThat(next.type()).isEqualTo(BackupType.INCREMENTAL);
  }

  @Test
  void parsesWhatItFormatsAndTruncatesToMilliseconds() {
    BackupFileName name =
        BackupFileName.full("my_db-1.x", T0.plusNanos(456_789)).next(T0.plusSeconds(1));

    assertThat(BackupFileName.parse(name.path())).contains(name);
    assertThat(BackupFileName.parse("backups/eu/" + name.path())).contains(name);
    assertThat(name.chainStart()).isEqualTo(T0);
  }

  @Test
  void aCompactedFileNamesTheRangeItMergesAndSortsAfterItsFirstFile() {
    BackupFileName full = BackupFileName.full("shop", T0);
    BackupFileName first = full.next(T0.plusSeconds(1));
    BackupFileName last = first.next(T0.plusSeconds(2)).next(T0.plusSeconds(3));
    BackupFileName compacted = first.compactedThrough(last, 2, DumpCodec.ZSTD, true);

    assertThat(compacted.fileName())
        .isEqualTo("000001-000003-20261128T144303.123Z.level2.incremental.json.zst.enc");
    assertThat(BackupFileName.parse(compacted.path())).contains(compacted);
    assertThat(compacted.isCompacted()).isTrue();
    assertThat(compacted.positions()).isEqualTo(3);
    assertThat(compacted.next(T0.plusSeconds(9)).sequence()).isEqualTo(4);
    assertThat(List.of(compacted, last, first, full).stream().sorted().toList())
        .containsExactly(full, first, compacted, last);
    // A range needs a level and a level a range.
    assertThat(
            BackupFileName.parse(
                "shop/20261128T144300.123Z/000001-000003-20261128T144303.123Z"
                    + ".incremental.json.gz"))
        .isEmpty();
    assertThat(
            BackupFileName.parse(
                "shop/20261128T144300.123Z/000001-20261128T144303.123Z"
                    + ".level1.incremental.json.gz"))
        .isEmpty();
    assertThatThrownBy(() -> last.compactedThrough(first, 1, DumpCodec.GZIP, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesNamesRelativeToADatabaseFolder() {
    BackupFileName name = BackupFileName.full("shop", T0);
    String relative = "20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz";

    assertThat(BackupFileName.parseInDatabaseFolder("shop", relative)).contains(name);
    assertThat(BackupFileName.parse(relative)).isEmpty();
  }

  @Test
  void rejectsNamesThatAreNotBackupFiles() {
    assertThat(BackupFileName.parse("shop/notes.txt")).isEmpty();
    assertThat(
            BackupFileName.parse("shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json"))
        .isEmpty();
    assertThat(
            BackupFileName.parse(
                "shop/20261128T144300.123Z/000001-20261128T144300.123Z.full.json.gz"))
        .as("sequence 1 cannot be a full")
        .isEmpty();
    assertThat(
            BackupFileName.parse(
                "shop/20261399T144300.123Z/000000-20261399T144300.123Z.full.json.gz"))
        .as("month 13")
        .isEmpty();
    assertThat(
            BackupFileName.parse(
                "-bad/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz"))
        .isEmpty();
  }

  @Test
  void rejectsInvalidDatabaseNames() {
    assertThatThrownBy(() -> BackupFileName.full("a/b", T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/b");
    assertThatThrownBy(() -> BackupFileName.full("x".repeat(101), T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesSortAsTextInRestoreOrder() {
    BackupFileName a = BackupFileName.full("shop", T0);
    BackupFileName a1 = a.next(T0.plusSeconds(60));
    BackupFileName a2 = a1.next(T0.plusSeconds(120));
    BackupFileName b = BackupFileName.full("shop", T0.plusSeconds(86_400));
    BackupFileName other = BackupFileName.full("archive", T0.plusSeconds(999));
    List<BackupFileName> names = new ArrayList<>(List.of(b, a2, other, a, a1));
    List<String> paths = new ArrayList<>(names.stream().map(BackupFileName::path).toList());

    Collections.sort(names);
    Collections.sort(paths);

    assertThat(names).containsExactly(other, a, a1, a2, b);
    assertThat(paths).containsExactlyElementsOf(names.stream().map(BackupFileName::path).toList());
  }

  @Test
  void encryptedNamesEndInEncParseBackAndSortByPositionInTheChain() {
    BackupFileName full = BackupFileName.full("shop", T0, DumpCodec.GZIP, true);
    BackupFileName plain = full.next(T0.plusSeconds(60), DumpCodec.ZSTD, false);
    BackupFileName zstd = plain.next(T0.plusSeconds(120), DumpCodec.ZSTD, true);

    assertThat(full.path())
        .isEqualTo("shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz.enc");
    assertThat(zstd.fileName()).endsWith("000002-20261128T144500.123Z.incremental.json.zst.enc");
    assertThat(full.next(T0.plusSeconds(1)).encrypted()).as("next keeps the form").isTrue();
    for (BackupFileName name : List.of(full, plain, zstd)) {
      assertThat(BackupFileName.parse(name.path())).contains(name);
      assertThat(StoredNames.isSafe(name.path())).isTrue();
    }
    assertThat(BackupFileName.parse(plain.path()).orElseThrow().encrypted()).isFalse();
    List<BackupFileName> names = new ArrayList<>(List.of(zstd, full, plain));
    Collections.sort(names);
    assertThat(names).containsExactly(full, plain, zstd);
    assertThat(BackupFileName.parse(full.path() + ".enc")).as("twice encrypted").isEmpty();
    assertThat(BackupFileName.parse(full.path().replace(".enc", ".aes"))).isEmpty();
  }

  @Test
  void snapshotFilesStartChainsAndParseBack() {
    BackupFileName snapshot = BackupFileName.snapshot("shop", T0, DumpCodec.ZSTD, true);

    assertThat(snapshot.path())
        .isEqualTo("shop/20261128T144300.123Z/000000-20261128T144300.123Z.snapshot.img.zst.enc");
    assertThat(snapshot.image()).isTrue();
    assertThat(snapshot.type()).isEqualTo(BackupType.FULL);
    assertThat(BackupFileName.parse(snapshot.path())).contains(snapshot);
    BackupFileName gzip = BackupFileName.snapshot("shop", T0, DumpCodec.GZIP, false);
    assertThat(gzip.fileName()).isEqualTo("000000-20261128T144300.123Z.snapshot.img.gz");
    assertThat(BackupFileName.parse(gzip.path())).contains(gzip);

    BackupFileName next = snapshot.next(T0.plusSeconds(60));
    assertThat(next.image()).isFalse();
    assertThat(next.fileName()).endsWith(".incremental.json.zst.enc");
    assertThat(BackupFileName.parse(gzip.path().replace("000000", "000001"))).isEmpty();
    assertThat(BackupFileName.parse(gzip.path().replace(".img.gz", ".img.json.gz"))).isEmpty();
    assertThat(BackupFileName.parse(gzip.path().replace(".snapshot.", ".full."))).isEmpty();
  }
}
