package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.source.ContentDigest;

class SchemaMigrationTest {
  @TempDir Path dataDir;

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("old.db").toAbsolutePath());
  }

  /** A file as release 1 wrote it: the version 1 tables, one setting and one document. */
  private void writeVersion1File() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
      for (String sql : Schema.VERSION_1) {
        statement.execute(sql);
      }
      statement.execute("INSERT INTO meta (name, value) VALUES ('schema_version', '1')");
      statement.execute("INSERT INTO settings (name, value) VALUES ('Raven/AWSAccessKey', 'A')");
      statement.execute(
          "INSERT INTO documents (key, etag, metadata, body)"
              + " VALUES ('users/1', 1, '{}', '{}')");
      statement.execute("UPDATE etag_sequence SET last_etag = 1");
    }
  }

  private String schemaVersion() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT value FROM meta WHERE name = 'schema_version'")) {
      rows.next();
      return rows.getString(1);
    }
  }

  @Test
  void aVersion1FileOpensKeepsItsDataAndGainsSecuredSettings() throws Exception {
    writeVersion1File();
    try (SqliteStore store = new SqliteStore(dataDir, Map.of())) {
      SqliteDatabase db = store.open("old");
      assertThat(db.settings()).containsExactly(Map.entry("Raven/AWSAccessKey", "A"));
      assertThat(db.getDocument("users/1")).isPresent();
      assertThat(db.lastEtag()).isEqualTo(1);
      // The content digest is computed once on open, and kept from then on.
      assertThat(db.content())
          .isEqualTo(db.computeContent().orElseThrow())
          .extracting(ContentDigest::documents)
          .isEqualTo(1L);
      db.putDocument("users/2", "{}", "{}");
      assertThat(db.content()).isEqualTo(db.computeContent().orElseThrow());
      db.putSecuredSetting("Raven/AWSSecretKey", "S3cr3t-AKIA-test-7f9c");
      assertThat(db.setting("Raven/AWSSecretKey")).contains("S3cr3t-AKIA-test-7f9c");
    }
    assertThat(schemaVersion()).isEqualTo(String.valueOf(Schema.CURRENT_VERSION));
  }

  @Test
  void aNewerFileIsRefused() throws Exception {
    writeVersion1File();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("UPDATE meta SET value = '99' WHERE name = 'schema_version'");
    }
    try (SqliteStore store = new SqliteStore(dataDir, Map.of())) {
      assertThatThrownBy(() -> store.open("old"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("schema version 99");
    }
  }
}
