package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.SnapshotImage;

class SnapshotImageTest extends DatabaseFixture {
  @TempDir Path elsewhere;

  private void fill(int documents, int attachments) throws IOException {
    db.write(
        writer -> {
          for (int i = 0; i < documents; i++) {
            writer.putDocument("users/" + i, "{}", "{\"Name\":\"" + "x".repeat(1000) + i + "\"}");
          }
          for (int i = 0; i < attachments; i++) {
            writer.putAttachment("photos/" + i, "{}", TestData.bytes(1_000_000, i));
          }
        });
  }

  @Test
  void theImageIsTheSnapshotsCutWhileAWriterCommitsDuringTheCopy() throws Exception {
    fill(2_000, 30);
    DatabaseContents atCut = DatabaseContents.of(db);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong commits = new AtomicLong();
    CountDownLatch writing = new CountDownLatch(20);
    Path image = elsewhere.resolve("copy.db");
    long cut;
    long commitsDuringImage;
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      cut = snapshot.lastEtag();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; !stop.get(); i++) {
                    int n = i;
                    db.write(
                        tx -> {
                          tx.putDocument("users/" + (n % 2_000), "{}", "{\"v\":" + n + "}");
                          tx.putDocument("new/" + n, "{}", "{}");
                          tx.deleteDocument("users/" + ((n + 1_000) % 2_000));
                          if (n % 10 == 0) {
                            tx.putAttachment(
                                "photos/" + (n % 30), "{}", new ByteArrayInputStream(new byte[9]));
                          }
                        });
                    commits.incrementAndGet();
                    writing.countDown();
                  }
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      assertThat(writing.await(20, TimeUnit.SECONDS)).isTrue();
      long before = commits.get();
      try (OutputStream out = Files.newOutputStream(image)) {
        snapshot.image().orElseThrow().writeTo(out);
      }
      commitsDuringImage = commits.get() - before;
      stop.set(true);
      writer.get(20, TimeUnit.SECONDS);
    }
    System.out.printf(
        "image of %d bytes while the writer committed %d transactions%n",
        Files.size(image), commitsDuringImage);
    assertThat(commitsDuringImage).as("the writer is not blocked by the image").isPositive();
    assertThat(db.lastEtag()).isGreaterThan(cut);

    try (SqliteStore copies = new SqliteStore(elsewhere, Map.of())) {
      SqliteDatabase copy = copies.open("copy");
      assertThat(copy.lastEtag()).isEqualTo(cut);
      assertThat(atCut.differenceFrom(DatabaseContents.of(copy))).isNull();
    }
  }

  @Test
  void theImageIsOneSelfContainedFileWithoutSystemDocumentsOrSettings() throws Exception {
    fill(100, 1);
    db.putSystemDocument(SystemDocuments.SETUP_KEY, "{}");
    db.putSetting("Raven/ActiveBundles", "PeriodicBackups");
    db.putSecuredSetting("Raven/AWSSecretKey", "not-a-real-secret");
    Path image = Images.toFile(db, elsewhere.resolve("copy.db"));

    byte[] header = new byte[100];
    try (var in = Files.newInputStream(image)) {
      assertThat(in.readNBytes(header, 0, 100)).isEqualTo(100);
    }
    assertThat(new String(header, 0, 16, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("SQLite format 3\0");
    assertThat(header[18])
        .as("write version: rollback journal, no -wal needed")
        .isEqualTo((byte) 1);
    assertThat(header[19]).as("read version").isEqualTo((byte) 1);
    assertThat(Images.filesIn(elsewhere)).containsExactly("copy.db");
    assertThat(Images.filesIn(dataDir))
        .as("the temporary copy is gone")
        .noneMatch(name -> name.contains(".image-"));

    try (SqliteStore copies = new SqliteStore(elsewhere, Map.of())) {
      SqliteDatabase copy = copies.open("copy");
      assertThat(copy.lastEtag()).isEqualTo(db.lastEtag());
      assertThat(copy.documentCount()).isEqualTo(100);
      assertThat(copy.getSystemDocument(SystemDocuments.SETUP_KEY))
          .as("an image leaves out what the streams leave out")
          .isEmpty();
      assertThat(copy.settings()).isEmpty();
      assertThat(copy.securedSettingNames()).isEmpty();
    }
  }

  @Test
  void theImageDeclaresThisStoresFormat() throws IOException {
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      SnapshotImage image = snapshot.image().orElseThrow();
      assertThat(image.format()).isEqualTo(SqliteStore.IMAGE_FORMAT);
      assertThat(image.format().name()).isEqualTo("pbk-sqlite");
      assertThat(image.format().version()).isEqualTo(Schema.CURRENT_VERSION);
    }
  }

  @Test
  void aClosedSnapshotWritesNoImage() throws IOException {
    SnapshotImage image;
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      image = snapshot.image().orElseThrow();
    }
    assertThatThrownBy(() -> image.writeTo(OutputStream.nullOutputStream()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("snapshot is closed");
  }

  @Test
  void anExistingDatabaseIsRestoredInPlaceAndTakesNoImage() throws IOException {
    assertThat(db.stage()).isEmpty();
    assertThat(db.imageFormats()).isEmpty();
  }
}
