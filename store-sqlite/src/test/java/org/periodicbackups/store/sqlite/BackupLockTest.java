package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.source.ChangeSource.BackupLock;

class BackupLockTest extends DatabaseFixture {

  @Test
  void oneHolderAtATimeAndClosingReleasesIt() throws Exception {
    Optional<BackupLock> first = db.tryLockBackups();
    assertThat(first).isPresent();
    assertThat(dataDir.resolve("shop.db.backup-lock")).exists();

    // A second opening of the same file (as a second process would have) finds it held.
    try (SqliteStore other = new SqliteStore(dataDir)) {
      SqliteDatabase same = other.open("shop");
      assertThat(same).isNotSameAs(db);
      assertThat(same.tryLockBackups()).isEmpty();
      assertThat(db.tryLockBackups()).isEmpty();

      first.get().close();

      Optional<BackupLock> second = same.tryLockBackups();
      assertThat(second).isPresent();
      second.get().close();
    }
  }

  @Test
  void locksOfDifferentDatabasesAreIndependent() throws Exception {
    SqliteDatabase other = store.create("other", Map.of());
    try (BackupLock shop = db.tryLockBackups().orElseThrow();
        BackupLock second = other.tryLockBackups().orElseThrow()) {
      // Lock files sit next to the databases without being taken for databases.
      assertThat(store.list()).containsExactlyInAnyOrder("other", "shop");
    }
  }
}
