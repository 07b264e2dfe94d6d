package org.periodicbackups.core.restore;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpHeader;

class ChainLinksTest {
  private static final Instant T0 = Instant.parse("2026-11-28T14:00:00Z");
  private static final Instant T1 = T0.plus(Duration.ofHours(1));
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);

  private final BackupFileName fullName = BackupFileName.full("shop", T0);
  private final BackupFileName nextName = fullName.next(T1);
  private final VerifiedFile full = verified(fullName, DumpHeader.full("shop", T0, 10), SHA_A);

  @Test
  void anIncrementalContinuingTheFileBeforeItPasses() {
    VerifiedFile next = incremental(10, fullName.path(), SHA_A);
    assertThatCode(
            () -> {
              ChainLinks.check("shop", null, full);
              ChainLinks.check("shop", full, next);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void anEtagGapBreaksTheChain() {
    assertThatThrownBy(() -> ChainLinks.check("shop", full, incremental(9, fullName.path(), SHA_A)))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("broken chain: it starts after etag 9");
  }

  @Test
  void anotherPreviousSha256NamesTheEarlierFile() {
    assertThatThrownBy(
            () -> ChainLinks.check("shop", full, incremental(10, fullName.path(), SHA_B)))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining(fullName.path())
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void aChainStartsWithAFullBackup() {
    assertThatThrownBy(
            () -> ChainLinks.check("shop", null, incremental(10, fullName.path(), SHA_A)))
        .hasMessageContaining("a chain starts with a full backup");
  }

  @Test
  void aMissingSequenceIsNamed() {
    BackupFileName third = nextName.next(T1.plus(Duration.ofHours(1)));
    List<PlannedFile> files = List.of(planned(fullName), planned(third));
    assertThatThrownBy(() -> ChainLinks.requireContiguous(files))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("the file with sequence 000001 is missing");
    assertThatCode(
            () -> ChainLinks.requireContiguous(List.of(planned(fullName), planned(nextName))))
        .doesNotThrowAnyException();
  }

  private VerifiedFile incremental(long fromEtag, String previous, String previousSha256) {
    return verified(
        nextName,
        DumpHeader.incremental("shop", T1, fromEtag, 20, previous, previousSha256),
        SHA_B);
  }

  private static VerifiedFile verified(BackupFileName name, DumpHeader header, String sha256) {
    return new VerifiedFile(planned(name), header, 100, sha256, new DumpCounts(0, 0, 0, 0));
  }

  private static PlannedFile planned(BackupFileName name) {
    return new PlannedFile(name.path(), name, 100);
  }
}
