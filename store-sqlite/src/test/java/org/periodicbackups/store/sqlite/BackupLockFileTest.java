package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.source.ChangeSource.BackupLock;

class BackupLockFileTest {
  @TempDir Path dir;

  @Test
  void lockFileSitsNextToTheDatabaseFile() {
    assertThat(BackupLockFile.of(dir.resolve("shop.db")))
        .isEqualTo(dir.resolve("shop.db.backup-lock"));
  }

  @Test
  void heldLockIsRefusedUntilReleasedAndTheFileStays() throws Exception {
    Path database = dir.resolve("shop.db");
    BackupLock held = BackupLockFile.tryLock(database, "shop").orElseThrow();
    assertThat(BackupLockFile.tryLock(database, "shop")).isEmpty();
    held.close();
    BackupLockFile.tryLock(database, "shop").orElseThrow().close();
    assertThat(BackupLockFile.of(database)).exists();
  }
}
