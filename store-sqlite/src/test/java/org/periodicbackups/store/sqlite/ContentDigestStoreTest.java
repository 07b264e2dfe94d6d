package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.api.source.RestoreBatch;

class ContentDigestStoreTest extends DatabaseFixture {

  /** The kept digest after the writes so far, checked against one computed from the items. */
  private ContentDigest kept() throws IOException {
    ContentDigest kept = db.content();
    assertThat(db.computeContent()).contains(kept);
    return kept;
  }

  @Test
  void everyKindOfWriteKeepsTheDigestEqualToTheItems() throws Exception {
    assertThat(kept()).isEqualTo(ContentDigest.EMPTY);
    db.putDocument("users/1", "{}", "{\"name\":\"Ada\"}");
    db.putDocument("users/2", "{\"@collection\":\"Users\"}", "{\"name\":\"Grace\"}");
    ContentDigest two = kept();
    assertThat(two.documents()).isEqualTo(2);

    db.putDocument("users/1", "{}", "{\"name\":\"Ada Lovelace\"}");
    assertThat(kept()).isNotEqualTo(two).extracting(ContentDigest::documents).isEqualTo(2L);
    db.putDocument("users/1", "{}", "{\"name\":\"Ada\"}");
    assertThat(kept()).isEqualTo(two); // back to the same content: the same digest

    db.putAttachment("files/1", "{}", bytes("first"));
    db.putAttachment("files/1", "{\"type\":\"text\"}", bytes("second, longer"));
    db.putAttachment("files/2", "{}", new ByteArrayInputStream(new byte[600_000])); // 3 chunks
    assertThat(kept().attachments()).isEqualTo(2);

    assertThat(db.deleteDocument("users/2")).isTrue();
    assertThat(db.deleteDocument("users/2")).isFalse();
    assertThat(db.deleteAttachment("files/2")).isTrue();
    ContentDigest after = kept();
    assertThat(after.documents()).isEqualTo(1);
    assertThat(after.attachments()).isEqualTo(1);

    db.deleteAttachment("files/1");
    db.deleteDocument("users/1");
    assertThat(kept()).isEqualTo(ContentDigest.EMPTY);
  }

  @Test
  void systemDocumentsSettingsAndRolledBackBatchesAreNotContent() throws Exception {
    db.putDocument("users/1", "{}", "{}");
    ContentDigest before = kept();
    db.putSystemDocument("Raven/Backup/Status", "{\"LastEtag\":1}");
    db.putSetting("Raven/AWSAccessKey", "AKIA");
    assertThat(kept()).isEqualTo(before);

    try (RestoreBatch batch = db.beginBatch()) {
      batch.putDocument("users/2", "{}", "{}");
      batch.deleteDocument("users/1");
      try (OutputStream out = batch.putAttachment("files/1", "{}")) {
        out.write(1);
      }
      // closed without a commit
    }
    assertThat(kept()).isEqualTo(before);
  }

  @Test
  void aSnapshotRecordsTheContentAtItsCut() throws Exception {
    db.putDocument("users/1", "{}", "{}");
    ContentDigest atCut = kept();
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      snapshot.lastEtag();
      db.putDocument("users/2", "{}", "{}");
      assertThat(snapshot.content()).contains(atCut);
    }
    assertThat(kept().documents()).isEqualTo(2);
  }

  @Test
  void aBulkBatchHashedOffTheWriterThreadSumsEveryDocumentOnce() throws Exception {
    // More chunks than may be pending, a partial last chunk, and replaced and deleted documents
    // of the same batch and of an earlier one.
    int count = DocumentHashing.CHUNK * (DocumentHashing.MAX_PENDING + 3) + 17;
    db.putDocument("users/0", "{}", "{\"v\":\"before\"}");
    db.putDocument("users/1", "{}", "{\"v\":\"before\"}");
    db.write(
        writer -> {
          for (int i = 0; i < count; i++) {
            writer.putDocument("users/" + i, "{}", "{\"v\":" + i + "}");
          }
          writer.putDocument("users/5", "{}", "{\"v\":\"again\"}");
          writer.deleteDocument("users/6");
          writer.deleteDocument("users/1");
        });
    ContentDigest bulk = kept();
    assertThat(bulk.documents()).isEqualTo(count - 2);

    try (RestoreBatch batch = db.beginBatch()) {
      for (int i = 0; i < count; i++) {
        batch.putDocument("orders/" + i, "{}", "{\"v\":" + i + "}");
      }
      batch.commit();
    }
    assertThat(kept().documents()).isEqualTo(2L * count - 2);
    for (int i = 0; i < count; i++) {
      db.deleteDocument("orders/" + i);
    }
    assertThat(kept()).isEqualTo(bulk);
  }

  @Test
  void aDocumentHashKeptInItsRowByAnEarlierVersionIsTheOneSubtracted() throws Exception {
    db.putDocument("users/1", "{}", "{\"balance\":100}");
    ContentDigest one = kept();
    db.putDocument("users/2", "{}", "{\"balance\":5}");
    store.close();
    byte[] kept = ContentDigest.documentHash("users/2", "{}", "{\"balance\":5}");
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dataDir.resolve("shop.db").toAbsolutePath());
        java.sql.PreparedStatement update =
            connection.prepareStatement("UPDATE documents SET hash = ? WHERE key = 'users/2'")) {
      update.setBytes(1, kept);
      update.executeUpdate();
    }
    store = new SqliteStore(dataDir, Map.of());
    db = store.open("shop");
    db.putDocument("users/2", "{}", "{\"balance\":6}");
    db.deleteDocument("users/2");
    assertThat(kept()).isEqualTo(one);
  }

  @Test
  void aDatabaseAlteredBehindTheStoresBackNoLongerMatchesItsKeptDigest() throws Exception {
    db.putDocument("users/1", "{}", "{\"balance\":100}");
    db.putDocument("users/2", "{}", "{\"balance\":5}");
    ContentDigest kept = kept();
    store.close();
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dataDir.resolve("shop.db").toAbsolutePath());
        Statement statement = connection.createStatement()) {
      statement.execute("UPDATE documents SET body = '{\"balance\":1000}' WHERE key = 'users/1'");
    }
    store = new SqliteStore(dataDir, Map.of());
    db = store.open("shop");
    assertThat(db.content()).isEqualTo(kept);
    assertThat(db.computeContent().orElseThrow())
        .isNotEqualTo(kept)
        .extracting(ContentDigest::documents)
        .isEqualTo(2L);
  }

  @Test
  void aDamagedDigestRowIsReportedNamingTheFile() throws Exception {
    store.close();
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dataDir.resolve("shop.db").toAbsolutePath());
        Statement statement = connection.createStatement()) {
      statement.execute("UPDATE content_digest SET digest = 'not hex'");
    }
    store = new SqliteStore(dataDir, Map.of());
    db = store.open("shop");
    assertThatThrownBy(() -> db.putDocument("users/1", "{}", "{}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("shop.db")
        .hasMessageContaining("content digest");
  }

  private static ByteArrayInputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
