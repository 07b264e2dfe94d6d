package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh store in a temporary folder with one database named by {@link #databaseName()}. */
abstract class DatabaseFixture {
  @TempDir Path dataDir;
  SqliteStore store;
  SqliteDatabase db;

  /** The name of the database each test starts with. */
  String databaseName() {
    return "shop";
  }

  @BeforeEach
  void open() throws IOException {
    store = new SqliteStore(dataDir);
    db = store.create(databaseName(), Map.of());
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }
}
