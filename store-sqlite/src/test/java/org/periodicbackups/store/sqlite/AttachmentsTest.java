package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Tombstone;
import org.periodicbackups.api.source.ChangeSnapshot;

class AttachmentsTest extends DatabaseFixture {
  @Override
  String databaseName() {
    return "files";
  }

  private static final long FIVE_MIB = 5L * 1024 * 1024;

  @Test
  void emptyAttachmentRoundTrips() throws IOException {
    long etag = db.putAttachment("empty", "{}", InputStream.nullInputStream());
    assertThat(db.getAttachmentInfo("empty")).contains(new AttachmentInfo("empty", etag, "{}", 0));
    try (InputStream in = db.openAttachment("empty").orElseThrow()) {
      assertThat(in.readAllBytes()).isEmpty();
    }
  }

  @Test
  void smallAttachmentRoundTripsWithMetadata() throws IOException {
    byte[] content = "hello, attachments".getBytes(StandardCharsets.UTF_8);
    String metadata = "{\"Content-Type\":\"text/plain\"}";
    long etag = db.putAttachment("notes/1", metadata, new ByteArrayInputStream(content));
    assertThat(db.getAttachmentInfo("notes/1"))
        .contains(new AttachmentInfo("notes/1", etag, metadata, content.length));
    try (InputStream in = db.openAttachment("notes/1").orElseThrow()) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void multiMebibyteAttachmentRoundTripsInChunks() throws IOException, SQLException {
    db.putAttachment("big", "{}", TestData.bytes(FIVE_MIB, 42));
    assertThat(db.getAttachmentInfo("big").orElseThrow().size()).isEqualTo(FIVE_MIB);
    try (InputStream in = db.openAttachment("big").orElseThrow()) {
      assertThat(TestData.sha256(in)).isEqualTo(TestData.sha256(TestData.bytes(FIVE_MIB, 42)));
    }
    assertThat(chunkRows()).isEqualTo(FIVE_MIB / AttachmentChunks.CHUNK_SIZE);
  }

  @Test
  void sizesAroundTheChunkBoundaryRoundTrip() throws IOException {
    int chunk = AttachmentChunks.CHUNK_SIZE;
    for (int size : new int[] {chunk - 1, chunk, chunk + 1, 2 * chunk}) {
      db.putAttachment("a" + size, "{}", TestData.bytes(size, size));
      try (InputStream in = db.openAttachment("a" + size).orElseThrow()) {
        assertThat(TestData.sha256(in))
            .as("size %d", size)
            .isEqualTo(TestData.sha256(TestData.bytes(size, size)));
      }
    }
  }

  @Test
  void rePuttingReplacesTheContentAndDropsTheOldChunks() throws IOException, SQLException {
    db.putAttachment("doc", "{}", TestData.bytes(3L * AttachmentChunks.CHUNK_SIZE, 1));
    long etag = db.putAttachment("doc", "{\"v\":2}", new ByteArrayInputStream(new byte[] {9, 8}));
    assertThat(db.getAttachmentInfo("doc"))
        .contains(new AttachmentInfo("doc", etag, "{\"v\":2}", 2));
    try (InputStream in = db.openAttachment("doc").orElseThrow()) {
      assertThat(in.readAllBytes()).containsExactly(9, 8);
    }
    assertThat(chunkRows()).isEqualTo(1);
    assertThat(db.attachmentCount()).isEqualTo(1);
  }

  @Test
  void anOpenStreamKeepsShowingTheVersionItOpened() throws IOException {
    db.putAttachment("doc", "{}", new ByteArrayInputStream(new byte[] {1, 2, 3}));
    try (InputStream in = db.openAttachment("doc").orElseThrow()) {
      db.putAttachment("doc", "{}", new ByteArrayInputStream(new byte[] {7}));
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void missingAttachmentOpensAsEmptyOptional() throws IOException {
    assertThat(db.openAttachment("nope")).isEmpty();
    assertThat(db.getAttachmentInfo("nope")).isEmpty();
  }

  @Test
  void deleteRemovesContentAndWritesATombstoneRemovedByTheNextPut()
      throws IOException, SQLException {
    db.putAttachment("doc", "{}", new ByteArrayInputStream(new byte[] {1}));
    assertThat(db.deleteAttachment("doc")).isTrue();
    assertThat(db.deleteAttachment("doc")).isFalse();
    assertThat(db.openAttachment("doc")).isEmpty();
    assertThat(chunkRows()).isZero();
    assertThat(attachmentDeletions()).containsExactly(new Tombstone("doc", 2));
    db.putAttachment("doc", "{}", new ByteArrayInputStream(new byte[] {2}));
    assertThat(attachmentDeletions()).isEmpty();
  }

  @Test
  void forEachAttachmentStreamsByKeyWithContent() throws IOException {
    db.putAttachment("b", "{}", new ByteArrayInputStream(new byte[] {2}));
    db.putAttachment("a", "{}", new ByteArrayInputStream(new byte[] {1}));
    List<String> seen = new ArrayList<>();
    db.forEachAttachment((info, content) -> seen.add(info.key() + "=" + content.read()));
    assertThat(seen).containsExactly("a=1", "b=2");
  }

  private List<Tombstone> attachmentDeletions() throws IOException {
    List<Tombstone> tombstones = new ArrayList<>();
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      snapshot.forEachAttachmentDeletion(0, tombstones::add);
    }
    return tombstones;
  }

  private long chunkRows() throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db.file());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM attachment_chunks")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
