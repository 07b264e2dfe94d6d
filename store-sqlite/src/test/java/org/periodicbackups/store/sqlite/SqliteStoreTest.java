package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
  @TempDir Path dataDir;

  @Test
  void createsTheDataFolderAndOneFilePerDatabase() throws IOException {
    Path folder = dataDir.resolve("nested/data");
    try (SqliteStore store = new SqliteStore(folder)) {
      store.create("shop", Map.of());
      assertThat(folder.resolve("shop.db")).isRegularFile();
    }
  }

  @Test
  void listsDatabasesSortedAndIgnoresOtherFiles() throws IOException {
    Files.writeString(dataDir.resolve("notes.txt"), "x");
    try (SqliteStore store = new SqliteStore(dataDir)) {
      store.create("zeta", Map.of());
      store.create("Alpha", Map.of());
      store.create("beta", Map.of());
      assertThat(store.list()).containsExactly("Alpha", "beta", "zeta");
    }
  }

  @Test
  void openingTheSameNameTwiceReturnsTheSameInstance() throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      SqliteDatabase created = store.create("shop", Map.of());
      assertThat(store.open("shop")).isSameAs(created);
      assertThat(store.openOrCreate("shop")).isSameAs(created);
    }
  }

  @Test
  void closingADatabaseLetsTheNextOpenReturnAFreshInstance() throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      SqliteDatabase first = store.create("shop", Map.of());
      first.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
      first.close();
      SqliteDatabase second = store.open("shop");
      assertThat(second).isNotSameAs(first);
      assertThat(second.getDocument("users/1")).isPresent();
    }
  }

  @Test
  void createFailsWhenTheDatabaseExists() throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      store.create("shop", Map.of());
      assertThatThrownBy(() -> store.create("shop", Map.of()))
          .isInstanceOf(FileAlreadyExistsException.class)
          .hasMessageContaining("database 'shop' already exists");
    }
  }

  @Test
  void openOfAMissingDatabaseNamesItAndListsTheExistingOnes() throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      store.create("shop", Map.of());
      store.create("crm", Map.of());
      assertThatThrownBy(() -> store.open("shpo"))
          .isInstanceOf(NoSuchFileException.class)
          .hasMessageContaining("database 'shpo' does not exist")
          .hasMessageContaining("[crm, shop]");
    }
  }

  @Test
  void rejectsInvalidNamesNamingTheValueAndTheRule() throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      for (String bad : new String[] {"", "-shop", "../etc", "a/b", "shop db", "x".repeat(101)}) {
        assertThatThrownBy(() -> store.create(bad, Map.of()))
            .as("name '%s'", bad)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'" + bad + "'")
            .hasMessageContaining(DatabaseNames.RULE);
      }
      assertThat(store.create("a.b_c-9", Map.of()).databaseName()).isEqualTo("a.b_c-9");
    }
  }

  @Test
  void deleteRemovesTheFilesAndClosesTheDatabase() throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      SqliteDatabase database = store.create("shop", Map.of());
      database.putDocument("users/1", "{}", "{}");
      database.tryLockBackups().orElseThrow().close();
      assertThat(dataDir.resolve("shop.db.backup-lock")).exists();
      store.delete("shop");
      assertThat(store.exists("shop")).isFalse();
      assertThat(store.list()).isEmpty();
      assertThat(dataDir.resolve("shop.db-wal")).doesNotExist();
      assertThat(dataDir.resolve("shop.db.backup-lock")).doesNotExist();
      assertThatThrownBy(() -> database.getDocument("users/1"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("closed");
      assertThatThrownBy(() -> store.delete("shop")).isInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void settingsGivenAtCreationPersistAcrossReopen() throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      SqliteDatabase database =
          store.create("shop", Map.of("Raven/ActiveBundles", "PeriodicBackups"));
      database.putSetting("Raven/AWSAccessKey", "AKIA-test");
      database.putSetting("Obsolete", "x");
      database.removeSetting("Obsolete");
    }
    try (SqliteStore store = new SqliteStore(dataDir)) {
      SqliteDatabase database = store.open("shop");
      assertThat(database.settings())
          .containsExactly(
              Map.entry("Raven/AWSAccessKey", "AKIA-test"),
              Map.entry("Raven/ActiveBundles", "PeriodicBackups"));
      assertThat(database.setting("Raven/ActiveBundles")).contains("PeriodicBackups");
      assertThat(database.setting("Obsolete")).isEmpty();
      assertThat(database.documentCount()).isZero();
      assertThat(database.lastEtag()).as("settings take no etag").isZero();
    }
  }
}
