package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.model.Tombstone;
import org.periodicbackups.api.source.ChangeSnapshot;

class DocumentsTest extends DatabaseFixture {

  @Test
  void everyWriteOfEveryKindTakesTheNextEtag() throws IOException {
    assertThat(db.lastEtag()).isZero();
    long doc = db.putDocument("users/1", "{}", "{}");
    long attachment = db.putAttachment("photo", "{}", new ByteArrayInputStream(new byte[] {1}));
    db.putSystemDocument(SystemDocuments.SETUP_KEY, "{\"IntervalMilliseconds\":1000}");
    long system = db.lastEtag();
    db.deleteDocument("users/1");
    long docDelete = db.lastEtag();
    db.deleteAttachment("photo");
    long attachmentDelete = db.lastEtag();
    assertThat(List.of(doc, attachment, system, docDelete, attachmentDelete))
        .containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void concurrentWritersGetDistinctGaplessEtags() throws Exception {
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  List<Long> etags = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    etags.add(db.putDocument("t" + thread + "/" + i, "{}", "{}"));
                  }
                  return etags;
                }));
      }
      Set<Long> all = new TreeSet<>();
      for (Future<List<Long>> result : results) {
        List<Long> etags = result.get(20, TimeUnit.SECONDS);
        assertThat(etags).as("each writer sees increasing etags").isSorted();
        all.addAll(etags);
      }
      assertThat(all).hasSize(threads * perThread);
      assertThat(all).first().isEqualTo(1L);
      assertThat(all).last().isEqualTo((long) threads * perThread);
      assertThat(db.lastEtag()).isEqualTo(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void etagSequenceSurvivesReopen() throws IOException {
    db.putDocument("users/1", "{}", "{}");
    db.deleteDocument("users/1");
    db.close();
    SqliteDatabase reopened = store.open("shop");
    assertThat(reopened.lastEtag()).isEqualTo(2);
    assertThat(reopened.putDocument("users/2", "{}", "{}")).isEqualTo(3);
  }

  @Test
  void putGetDeleteRoundTripWithUnicodeKeys() throws IOException {
    String key = "utilisateurs/Zoë/文書/🙂";
    String metadata = "{\"Raven-Entity-Name\":\"Utilisateurs\"}";
    String body = "{\"Name\":\"Zoë 🙂\",\"Tags\":[1,2,{\"x\":null}]}";
    long etag = db.putDocument(key, metadata, body);
    assertThat(db.getDocument(key)).contains(new Document(key, etag, metadata, body));
    assertThat(db.deleteDocument(key)).isTrue();
    assertThat(db.getDocument(key)).isEmpty();
    assertThat(db.deleteDocument(key)).as("second delete finds nothing").isFalse();
  }

  @Test
  void keysAreCaseSensitive() throws IOException {
    db.putDocument("users/a", "{}", "{\"v\":1}");
    db.putDocument("users/A", "{}", "{\"v\":2}");
    assertThat(db.getDocument("users/a").orElseThrow().bodyJson()).isEqualTo("{\"v\":1}");
    assertThat(db.getDocument("users/A").orElseThrow().bodyJson()).isEqualTo("{\"v\":2}");
    assertThat(db.documentCount()).isEqualTo(2);
  }

  @Test
  void invalidJsonIsRejectedNamingTheKeyAndNothingIsWritten() throws IOException {
    assertThatThrownBy(() -> db.putDocument("users/1", "{}", "{\"Name\":"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("body of document 'users/1'");
    assertThatThrownBy(() -> db.putDocument("users/2", "[]", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata of document 'users/2'")
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> db.putDocument("users/3", "{}", "{} {}"))
        .hasMessageContaining("body of document 'users/3' has content after the JSON object");
    assertThatThrownBy(() -> db.putDocument("users/4", "{}", "{'a':1}"))
        .hasMessageContaining("body of document 'users/4' is not valid JSON");
    assertThat(db.lastEtag()).isZero();
    assertThat(db.documentCount()).isZero();
  }

  @Test
  void rejectsEmptyAndOverlongKeys() {
    assertThatThrownBy(() -> db.putDocument("", "{}", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> db.putDocument("k".repeat(1025), "{}", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit is 1024");
  }

  @Test
  void rejectsJsonTextLongerThanABackupCanRestore() throws IOException {
    String longBody = "{\"x\":\"" + "a".repeat(Document.MAX_JSON_LENGTH) + "\"}";

    assertThatThrownBy(() -> db.putDocument("users/big", "{}", longBody))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "body of document 'users/big' is "
                + longBody.length()
                + " chars long; the limit is "
                + Document.MAX_JSON_LENGTH);
    assertThat(db.documentCount()).isZero();
  }

  @Test
  void deleteOfAMissingDocumentTakesNoEtagAndLeavesNoTombstone() throws IOException {
    assertThat(db.deleteDocument("users/404")).isFalse();
    assertThat(db.lastEtag()).isZero();
    assertThat(deletions()).isEmpty();
  }

  @Test
  void deleteThenPutRemovesTombstone() throws IOException {
    db.putDocument("users/1", "{}", "{}");
    db.deleteDocument("users/1");
    assertThat(deletions()).extracting(Tombstone::key).containsExactly("users/1");
    db.putDocument("users/1", "{}", "{\"back\":true}");
    assertThat(deletions()).isEmpty();
  }

  @Test
  void deletingAgainGivesTheTombstoneTheNewEtag() throws IOException {
    db.putDocument("users/1", "{}", "{}");
    db.deleteDocument("users/1");
    db.putDocument("users/1", "{}", "{}");
    db.deleteDocument("users/1");
    assertThat(deletions()).containsExactly(new Tombstone("users/1", 4));
  }

  @Test
  void systemDocumentsAreStoredWithEmptyMetadataAndRequireTheRavenPrefix() throws IOException {
    db.putSystemDocument(SystemDocuments.STATUS_KEY, "{\"LastDocsEtag\":7}");
    assertThat(db.getSystemDocument(SystemDocuments.STATUS_KEY)).contains("{\"LastDocsEtag\":7}");
    assertThat(db.getDocument(SystemDocuments.STATUS_KEY).orElseThrow().metadataJson())
        .isEqualTo("{}");
    assertThat(db.getSystemDocument(SystemDocuments.SETUP_KEY)).isEmpty();
    assertThat(db.documentCount()).as("system documents are not counted").isZero();
    assertThatThrownBy(() -> db.putSystemDocument("users/1", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'users/1' must start with 'Raven/'");
    assertThatThrownBy(() -> db.getSystemDocument("raven/backup"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailingBatchWritesNothingAndTakesNoEtags() throws IOException {
    db.putDocument("users/0", "{}", "{}");
    assertThatThrownBy(
            () ->
                db.write(
                    writer -> {
                      writer.putDocument("users/1", "{}", "{}");
                      writer.deleteDocument("users/0");
                      writer.putDocument("users/2", "{}", "not json");
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(db.lastEtag()).isEqualTo(1);
    assertThat(db.getDocument("users/0")).isPresent();
    assertThat(db.getDocument("users/1")).isEmpty();
    assertThat(db.putDocument("users/3", "{}", "{}")).isEqualTo(2);
  }

  @Test
  void aNestedWriteOnTheSameThreadIsRefused() {
    assertThatThrownBy(() -> db.write(writer -> db.putDocument("users/1", "{}", "{}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nested write");
  }

  @Test
  void forEachDocumentStreamsNonSystemDocumentsByKey() throws IOException {
    db.putDocument("b", "{}", "{}");
    db.putSystemDocument("Raven/Anything", "{}");
    db.putDocument("a", "{}", "{}");
    db.putDocument("Raven_not_system", "{}", "{}");
    List<String> keys = new ArrayList<>();
    db.forEachDocument(doc -> keys.add(doc.key()));
    assertThat(keys).containsExactly("Raven_not_system", "a", "b");
  }

  private List<Tombstone> deletions() throws IOException {
    List<Tombstone> tombstones = new ArrayList<>();
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      snapshot.forEachDocumentDeletion(0, tombstones::add);
    }
    return tombstones;
  }
}
