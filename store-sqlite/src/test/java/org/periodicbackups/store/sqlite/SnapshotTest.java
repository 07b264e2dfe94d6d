package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.model.Tombstone;
import org.periodicbackups.api.source.ChangeSnapshot;

class SnapshotTest extends DatabaseFixture {

  @Test
  void writesCommittedAfterTheSnapshotBeganAreInvisibleToIt() throws Exception {
    db.putDocument("users/1", "{}", "{\"v\":1}");
    db.putDocument("users/2", "{}", "{\"v\":1}");
    db.putAttachment("photo", "{}", new ByteArrayInputStream(new byte[] {1, 2, 3}));
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      assertThat(snapshot.lastEtag()).isEqualTo(3);

      // Another thread writes while the snapshot is open; it must not be blocked.
      CompletableFuture<Void> writes =
          CompletableFuture.runAsync(
              () -> {
                try {
                  db.write(
                      writer -> {
                        writer.putDocument("users/1", "{}", "{\"v\":2}");
                        writer.deleteDocument("users/2");
                        writer.putDocument("users/3", "{}", "{}");
                        writer.putAttachment(
                            "photo", "{}", new ByteArrayInputStream(new byte[] {9}));
                      });
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      writes.get(10, TimeUnit.SECONDS);
      assertThat(db.lastEtag()).isEqualTo(7);

      assertThat(snapshot.lastEtag()).isEqualTo(3);
      List<Document> docs = new ArrayList<>();
      snapshot.forEachDocument(0, docs::add);
      assertThat(docs)
          .containsExactly(
              new Document("users/1", 1, "{}", "{\"v\":1}"),
              new Document("users/2", 2, "{}", "{\"v\":1}"));
      List<Tombstone> deletions = new ArrayList<>();
      snapshot.forEachDocumentDeletion(0, deletions::add);
      assertThat(deletions).isEmpty();
      List<String> attachments = new ArrayList<>();
      snapshot.forEachAttachment(
          0,
          (info, content) ->
              attachments.add(
                  info.key() + "@" + info.etag() + "=" + content.readAllBytes().length));
      assertThat(attachments).containsExactly("photo@3=3");
    }
    try (ChangeSnapshot later = db.openSnapshot()) {
      assertThat(later.lastEtag()).isEqualTo(7);
      List<Tombstone> deletions = new ArrayList<>();
      later.forEachDocumentDeletion(3, deletions::add);
      assertThat(deletions).containsExactly(new Tombstone("users/2", 5));
    }
  }

  @Test
  void systemDocumentsAndTheirDeletionsAreLeftOutOfStreams() throws IOException {
    db.putSystemDocument(SystemDocuments.SETUP_KEY, "{}");
    db.putSystemDocument("Raven/Temp", "{}");
    db.deleteDocument("Raven/Temp");
    db.putDocument("Raven_users/1", "{}", "{}");
    db.putDocument("raven/lowercase", "{}", "{}");
    db.putDocument("Raven%/wildcard", "{}", "{}");
    db.deleteDocument("raven/lowercase");
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      List<String> keys = new ArrayList<>();
      snapshot.forEachDocument(0, doc -> keys.add(doc.key()));
      assertThat(keys).containsExactly("Raven_users/1", "Raven%/wildcard");
      List<String> deleted = new ArrayList<>();
      snapshot.forEachDocumentDeletion(0, tombstone -> deleted.add(tombstone.key()));
      assertThat(deleted).containsExactly("raven/lowercase");
      assertThat(snapshot.lastEtag()).as("system writes still take etags").isEqualTo(7);
    }
  }

  @Test
  void streamsAreInEtagOrderAndStartAfterTheGivenEtag() throws IOException {
    for (String key : List.of("c", "a", "b", "d")) {
      db.putDocument(key, "{}", "{}");
    }
    db.putDocument("a", "{}", "{\"again\":true}");
    db.deleteDocument("d");
    db.deleteDocument("b");
    db.deleteDocument("c");
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      List<String> docs = new ArrayList<>();
      snapshot.forEachDocument(0, doc -> docs.add(doc.key() + "@" + doc.etag()));
      assertThat(docs).containsExactly("a@5");
      List<Tombstone> deletions = new ArrayList<>();
      snapshot.forEachDocumentDeletion(6, deletions::add);
      assertThat(deletions).containsExactly(new Tombstone("b", 7), new Tombstone("c", 8));
    }
  }

  @Test
  void attachmentStreamsAndDeletionsFollowEtags() throws IOException {
    db.putAttachment("x", "{}", new ByteArrayInputStream(new byte[] {1}));
    db.putAttachment("y", "{}", TestData.bytes(AttachmentChunks.CHUNK_SIZE * 2L + 5, 7));
    db.putAttachment("z", "{}", new ByteArrayInputStream(new byte[0]));
    db.deleteAttachment("x");
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      List<String> seen = new ArrayList<>();
      snapshot.forEachAttachment(
          1,
          (info, content) ->
              seen.add(info.key() + "@" + info.etag() + ":" + TestData.sha256(content)));
      assertThat(seen)
          .containsExactly(
              "y@2:" + TestData.sha256(TestData.bytes(AttachmentChunks.CHUNK_SIZE * 2L + 5, 7)),
              "z@3:" + TestData.sha256(new ByteArrayInputStream(new byte[0])));
      List<Tombstone> deletions = new ArrayList<>();
      snapshot.forEachAttachmentDeletion(0, deletions::add);
      assertThat(deletions).containsExactly(new Tombstone("x", 4));
    }
  }

  @Test
  void aConsumerFailureStopsTheStreamAndPropagates() throws IOException {
    db.putDocument("a", "{}", "{}");
    db.putDocument("b", "{}", "{}");
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      List<String> seen = new ArrayList<>();
      assertThatThrownBy(
              () ->
                  snapshot.forEachDocument(
                      0,
                      doc -> {
                        seen.add(doc.key());
                        throw new IOException("disk full");
                      }))
          .isInstanceOf(IOException.class)
          .hasMessage("disk full");
      assertThat(seen).containsExactly("a");
      assertThat(snapshot.lastEtag()).isEqualTo(2);
    }
  }

  @Test
  void closedSnapshotRefusesReadsAndReleasesItsTransaction() throws IOException {
    ChangeSnapshot snapshot = db.openSnapshot();
    snapshot.close();
    snapshot.close();
    assertThatThrownBy(() -> snapshot.forEachDocument(0, doc -> {}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("snapshot is closed");
    db.putDocument("a", "{}", "{}");
    try (ChangeSnapshot next = db.openSnapshot()) {
      assertThat(next.lastEtag()).isEqualTo(1);
    }
  }
}
