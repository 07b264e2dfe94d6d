package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.source.StagedRestore;

class TemporaryFilesTest {
  @TempDir Path dataDir;

  /** The pid of a process that has ended. */
  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("java", "-version").start();
    process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    process.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
    process.waitFor();
    long pid = process.pid();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    return pid;
  }

  private void touch(String... names) throws IOException {
    for (String name : names) {
      Files.createFile(dataDir.resolve(name));
    }
  }

  @Test
  void leftoversOfADeadProcessAreRemovedWhenAStoreOpens() throws Exception {
    long dead = deadPid();
    long self = ProcessHandle.current().pid();
    touch(
        ".shop.db.staging-" + dead + "-1",
        ".shop.db.staging-" + dead + "-1-wal",
        ".shop.db.image-" + dead + "-2-journal",
        ".shop.db.staging-" + self + "-99",
        ".notes",
        "other.txt");
    new SqliteStore(dataDir, Map.of()).close();
    assertThat(Images.filesIn(dataDir))
        .containsExactly(".notes", ".shop.db.staging-" + self + "-99", "other.txt");
  }

  @Test
  void leftoversOfADeadProcessAreRemovedWhenStaging() throws Exception {
    try (SqliteStore store = new SqliteStore(dataDir, Map.of())) {
      touch(".shop.db.staging-" + deadPid() + "-3");
      try (StagedRestore staged = store.newDatabaseTarget("shop").stage().orElseThrow()) {
        assertThat(Images.filesIn(dataDir))
            .allMatch(name -> name.contains("staging-" + ProcessHandle.current().pid()));
      }
      assertThat(Images.filesIn(dataDir)).isEmpty();
    }
  }

  @Test
  void leftoversOfADeadProcessAreRemovedByTheNextImage() throws Exception {
    try (SqliteStore store = new SqliteStore(dataDir, Map.of())) {
      SqliteDatabase shop = store.create("shop", Map.of());
      touch(".shop.db.image-" + deadPid() + "-4");
      Images.of(shop);
      assertThat(Images.filesIn(dataDir)).allMatch(name -> name.startsWith("shop.db"));
    }
  }

  @Test
  void temporaryNamesCarryThePidAndAreNeverListed() throws IOException {
    Path file = TemporaryFiles.next(dataDir.resolve("shop.db"), TemporaryFiles.STAGING);
    assertThat(file.getFileName().toString())
        .startsWith(".shop.db.staging-" + ProcessHandle.current().pid() + "-");
    Files.createFile(file);
    try (SqliteStore store = new SqliteStore(dataDir, Map.of())) {
      assertThat(store.list()).isEmpty();
    }
  }
}
