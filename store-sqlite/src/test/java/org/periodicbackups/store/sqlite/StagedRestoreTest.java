package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.model.Tombstone;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ImageFormat;
import org.periodicbackups.api.source.RestoreBatch;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.api.source.StagedRestore;

class StagedRestoreTest {
  @TempDir Path root;
  Path targetDir;
  SqliteStore source;
  SqliteStore target;

  @BeforeEach
  void open() throws IOException {
    source = new SqliteStore(root.resolve("source"), Map.of());
    targetDir = root.resolve("target");
    target = new SqliteStore(targetDir, Map.of());
  }

  @AfterEach
  void close() throws IOException {
    source.close();
    target.close();
  }

  /** A source with documents, attachments, deletions, system documents and settings. */
  private SqliteDatabase shop() throws IOException {
    SqliteDatabase shop = source.create("shop", Map.of("Raven/ActiveBundles", "PeriodicBackups"));
    shop.putSecuredSetting("Raven/AWSSecretKey", "not-a-real-secret");
    shop.write(
        writer -> {
          for (int i = 0; i < 500; i++) {
            writer.putDocument("users/" + i, "{\"m\":" + i + "}", "{\"Name\":\"user " + i + "\"}");
          }
          writer.putAttachment("photos/big", "{\"Type\":\"jpg\"}", TestData.bytes(700_000, 1));
          writer.putAttachment("photos/small", "{}", TestData.bytes(10, 2));
        });
    shop.deleteDocument("users/7");
    shop.deleteAttachment("photos/small");
    shop.putSystemDocument(SystemDocuments.SETUP_KEY, "{\"IntervalMilliseconds\":60000}");
    shop.putSystemDocument("Raven/Temp", "{}");
    shop.deleteDocument("Raven/Temp");
    return shop;
  }

  private StagedRestore stageImage(byte[] image) throws IOException {
    return target
        .newDatabaseTarget("shop")
        .stageImage(SqliteStore.IMAGE_FORMAT, new ByteArrayInputStream(image));
  }

  private static List<Tombstone> deletions(SqliteDatabase database) throws IOException {
    List<Tombstone> deletions = new ArrayList<>();
    try (ChangeSnapshot snapshot = database.openSnapshot()) {
      snapshot.forEachDocumentDeletion(0, deletions::add);
      snapshot.forEachAttachmentDeletion(0, deletions::add);
    }
    return deletions;
  }

  @Test
  void anImageRestoresTheDataWithoutSystemDocumentsOrSettings() throws Exception {
    SqliteDatabase shop = shop();
    DatabaseContents expected = DatabaseContents.of(shop);
    byte[] image = Images.of(shop);

    try (StagedRestore staged = stageImage(image)) {
      assertThat(target.list()).as("a staged database is not listed").isEmpty();
      staged.check();
      staged.commit();
    }
    assertThat(Images.filesIn(targetDir)).containsExactly("shop.db");

    SqliteDatabase restored = target.open("shop");
    assertThat(expected.differenceFrom(DatabaseContents.of(restored))).isNull();
    assertThat(restored.getSystemDocument(SystemDocuments.SETUP_KEY)).isEmpty();
    assertThat(restored.settings()).isEmpty();
    assertThat(restored.securedSettingNames()).isEmpty();
    assertThat(deletions(restored))
        .extracting(Tombstone::key)
        .containsExactlyInAnyOrder("users/7", "photos/small");
    try (InputStream in = restored.openAttachment("photos/big").orElseThrow()) {
      assertThat(TestData.sha256(in)).isEqualTo(TestData.sha256(TestData.bytes(700_000, 1)));
    }
    assertThat(restored.lastEtag()).isEqualTo(shop.lastEtag());
    assertThat(restored.putDocument("users/new", "{}", "{}"))
        .as("etags continue from the image's")
        .isEqualTo(shop.lastEtag() + 1);
  }

  @Test
  void aDatabaseFileWithSystemDocumentsAndSettingsLosesThemWhenRestoredAsAnImage()
      throws Exception {
    SqliteDatabase shop = shop();
    DatabaseContents expected = DatabaseContents.of(shop);
    shop.close();
    byte[] wholeFile = Files.readAllBytes(shop.file());

    try (StagedRestore staged = stageImage(wholeFile)) {
      staged.check();
      staged.commit();
    }
    SqliteDatabase restored = target.open("shop");
    assertThat(expected.differenceFrom(DatabaseContents.of(restored))).isNull();
    assertThat(restored.getSystemDocument(SystemDocuments.SETUP_KEY)).isEmpty();
    assertThat(restored.settings()).isEmpty();
    assertThat(restored.securedSettingNames()).isEmpty();
    assertThat(deletions(restored))
        .extracting(Tombstone::key)
        .containsExactlyInAnyOrder("users/7", "photos/small");
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + targetDir.resolve("shop.db"));
        Statement statement = connection.createStatement();
        java.sql.ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM document_tombstones WHERE " + Keys.SYSTEM)) {
      rows.next();
      assertThat(rows.getInt(1)).as("system tombstones are removed").isZero();
    }
  }

  @Test
  void batchesAfterAnImageContinueItsEtags() throws Exception {
    SqliteDatabase shop = shop();
    long cut = shop.lastEtag();
    try (StagedRestore staged = stageImage(Images.of(shop))) {
      try (RestoreBatch batch = staged.beginBatch()) {
        batch.putDocument("users/1", "{}", "{\"Name\":\"changed\"}");
        batch.deleteDocument("users/2");
        batch.commit();
      }
      staged.check();
      staged.commit();
    }
    SqliteDatabase restored = target.open("shop");
    assertThat(restored.getDocument("users/1").orElseThrow().etag()).isEqualTo(cut + 1);
    assertThat(restored.getDocument("users/2")).isEmpty();
    assertThat(restored.lastEtag()).isEqualTo(cut + 2);
  }

  @Test
  void anEmptyStageTakesLogicalBatchesAndBecomesTheDatabaseOnCommit() throws Exception {
    RestoreTarget newShop = target.newDatabaseTarget("shop");
    assertThat(newShop.imageFormats())
        .containsExactly(SqliteStore.IMAGE_FORMAT, new ImageFormat("pbk-sqlite", 2));
    try (StagedRestore staged = newShop.stage().orElseThrow()) {
      assertThat(staged.databaseName()).isEqualTo("shop");
      try (RestoreBatch batch = staged.beginBatch()) {
        batch.putDocument("users/1", "{}", "{}");
        try (OutputStream out = batch.putAttachment("photo", "{}")) {
          TestData.bytes(300_000, 5).transferTo(out);
        }
        batch.commit();
      }
      try (RestoreBatch batch = staged.beginBatch()) {
        batch.putDocument("users/2", "{}", "{}");
        batch.deleteDocument("users/1");
        batch.commit();
      }
      assertThat(target.exists("shop")).as("invisible until commit").isFalse();
      staged.check();
      staged.commit();
    }
    assertThat(target.list()).containsExactly("shop");
    SqliteDatabase restored = target.open("shop");
    assertThat(restored.documentCount()).isEqualTo(1);
    assertThat(restored.getAttachmentInfo("photo").orElseThrow().size()).isEqualTo(300_000);
    assertThat(restored.lastEtag()).isEqualTo(4);
  }

  @Test
  void closingWithoutCommitLeavesNoFile() throws Exception {
    try (StagedRestore staged = target.newDatabaseTarget("shop").stage().orElseThrow()) {
      try (RestoreBatch batch = staged.beginBatch()) {
        batch.putDocument("users/1", "{}", "{}");
        batch.commit();
      }
      assertThat(Images.filesIn(targetDir)).isNotEmpty();
    }
    assertThat(Images.filesIn(targetDir)).isEmpty();

    StagedRestore fromImage = stageImage(Images.of(shop()));
    fromImage.close();
    fromImage.close();
    assertThat(Images.filesIn(targetDir)).as("close is idempotent and deletes").isEmpty();
    assertThat(target.exists("shop")).isFalse();
  }

  @Test
  void commitRefusesADatabaseThatAppearedMeanwhileAndLeavesItUntouched() throws Exception {
    try (StagedRestore staged = target.newDatabaseTarget("shop").stage().orElseThrow()) {
      try (RestoreBatch batch = staged.beginBatch()) {
        batch.putDocument("restored/1", "{}", "{}");
        batch.commit();
      }
      target.create("shop", Map.of()).putDocument("theirs", "{}", "{}");
      assertThatThrownBy(staged::commit)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("database 'shop' appeared meanwhile")
          .hasMessageContaining("the restored copy was discarded");
    }
    SqliteDatabase theirs = target.open("shop");
    assertThat(theirs.getDocument("theirs")).isPresent();
    assertThat(theirs.getDocument("restored/1")).isEmpty();
    assertThat(Images.filesIn(targetDir)).allMatch(name -> name.startsWith("shop.db"));
  }

  @Test
  void aNewTargetIsOnlyWrittenThroughItsStage() throws Exception {
    RestoreTarget newShop = target.newDatabaseTarget("shop");
    assertThatThrownBy(newShop::beginBatch)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call stage()");
    target.create("shop", Map.of());
    assertThat(newShop.stage()).as("the database exists by now").isEmpty();
    assertThatThrownBy(newShop::beginBatch)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SqliteStore.open(\"shop\")");
    assertThatThrownBy(() -> target.newDatabaseTarget("shop"))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> target.newDatabaseTarget("../escape"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anImageOfAnotherFormatIsRefusedNamingBoth() throws Exception {
    ImageFormat newer = new ImageFormat("pbk-sqlite", Schema.CURRENT_VERSION + 1);
    assertThatThrownBy(
            () ->
                target
                    .newDatabaseTarget("shop")
                    .stageImage(newer, new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(newer.toString())
        .hasMessageContaining(SqliteStore.IMAGE_FORMAT.toString());
    assertThat(Images.filesIn(targetDir)).isEmpty();
  }

  @Test
  void randomBytesAreRefused() throws Exception {
    byte[] random = TestData.bytes(100_000, 9).readAllBytes();
    assertThatThrownBy(() -> stageImage(random))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("database 'shop'")
        .hasMessageContaining("is not an SQLite database");
    assertThat(Images.filesIn(targetDir)).isEmpty();
  }

  @Test
  void aTruncatedImageIsRefused() throws Exception {
    byte[] image = Images.of(shop());
    byte[] half = Arrays.copyOf(image, image.length / 2);
    assertThatThrownBy(() -> stageImage(half))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is truncated")
        .hasMessageContaining(String.valueOf(half.length));
    assertThat(Images.filesIn(targetDir)).isEmpty();
  }

  @Test
  void anImageOfANewerSchemaIsRefusedNamingBothVersions() throws Exception {
    Path copy = Images.toFile(shop(), root.resolve("copies").resolve("newer.db"));
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + copy);
        Statement statement = connection.createStatement()) {
      statement.execute("UPDATE meta SET value = '99' WHERE name = 'schema_version'");
    }
    byte[] image = Files.readAllBytes(copy);
    assertThatThrownBy(() -> stageImage(image))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("supports up to " + Schema.CURRENT_VERSION);
    assertThat(Images.filesIn(targetDir)).isEmpty();
  }

  @Test
  void aDamagedPageIsCaughtByTheCheck() throws Exception {
    SqliteDatabase shop = source.create("shop", Map.of());
    shop.write(
        writer -> {
          for (int i = 0; i < 3_000; i++) {
            writer.putDocument("users/" + i, "{}", "{\"Name\":\"" + "x".repeat(1_000) + "\"}");
          }
        });
    byte[] image = Images.of(shop);
    int pageSize = ((image[16] & 0xff) << 8) | (image[17] & 0xff);
    int middlePage = image.length / pageSize / 2;
    for (int i = 0; i < 8; i++) {
      image[middlePage * pageSize + i] ^= (byte) 0xff; // the page's b-tree header
    }
    try (StagedRestore staged = stageImage(image)) {
      assertThatThrownBy(staged::check)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("the restored copy of database 'shop'")
          .hasMessageContaining("is damaged")
          .hasMessageContaining("page " + (middlePage + 1));
    }
    assertThat(Images.filesIn(targetDir)).isEmpty();
  }
}
