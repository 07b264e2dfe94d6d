package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.model.Tombstone;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.RestoreBatch;

class RestoreBatchTest extends DatabaseFixture {
  @Override
  String databaseName() {
    return "restored";
  }

  @Test
  void committedBatchAppliesEverythingWithTheTargetsOwnEtags() throws IOException {
    db.putDocument("old", "{}", "{}");
    try (RestoreBatch batch = db.beginBatch()) {
      batch.putDocument("users/1", "{\"m\":1}", "{\"b\":1}");
      try (OutputStream out = batch.putAttachment("photo", "{}")) {
        TestData.bytes(700_000, 3).transferTo(out);
      }
      batch.deleteDocument("old");
      batch.deleteDocument("never-existed");
      batch.deleteAttachment("never-existed");
      batch.commit();
    }
    assertThat(db.getDocument("users/1").orElseThrow().etag()).isEqualTo(2);
    assertThat(db.getAttachmentInfo("photo").orElseThrow().etag()).isEqualTo(3);
    try (InputStream in = db.openAttachment("photo").orElseThrow()) {
      assertThat(TestData.sha256(in)).isEqualTo(TestData.sha256(TestData.bytes(700_000, 3)));
    }
    assertThat(db.lastEtag()).as("deletes of missing keys take no etag").isEqualTo(4);
    List<Tombstone> deletions = new ArrayList<>();
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      snapshot.forEachDocumentDeletion(0, deletions::add);
      snapshot.forEachAttachmentDeletion(0, deletions::add);
    }
    assertThat(deletions).containsExactly(new Tombstone("old", 4));
  }

  @Test
  void closingWithoutCommitRollsEverythingBack() throws IOException {
    try (RestoreBatch batch = db.beginBatch()) {
      batch.putDocument("users/1", "{}", "{}");
      try (OutputStream out = batch.putAttachment("photo", "{}")) {
        out.write(new byte[] {1, 2, 3});
      }
    }
    assertThat(db.documentCount()).isZero();
    assertThat(db.attachmentCount()).isZero();
    assertThat(db.lastEtag()).isZero();
    assertThat(db.putDocument("users/2", "{}", "{}")).as("the lock was released").isEqualTo(1);
  }

  @Test
  void theAttachmentStreamMustBeClosedBeforeTheNextCall() throws IOException {
    try (RestoreBatch batch = db.beginBatch()) {
      OutputStream out = batch.putAttachment("photo", "{}");
      out.write(1);
      assertThatThrownBy(() -> batch.putDocument("users/1", "{}", "{}"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("close the content stream");
      out.close();
      batch.putDocument("users/1", "{}", "{}");
      batch.commit();
    }
    assertThat(db.getAttachmentInfo("photo").orElseThrow().size()).isEqualTo(1);
  }

  @Test
  void restoringTheSameItemsTwiceGivesTheSameContent() throws IOException {
    for (int round = 0; round < 2; round++) {
      try (RestoreBatch batch = db.beginBatch()) {
        batch.putDocument("users/1", "{}", "{\"v\":1}");
        batch.deleteDocument("users/2");
        batch.commit();
      }
    }
    assertThat(db.documentCount()).isEqualTo(1);
    assertThat(db.getDocument("users/1").orElseThrow().bodyJson()).isEqualTo("{\"v\":1}");
  }

  @Test
  void aCommittedBatchRefusesFurtherWrites() throws IOException {
    try (RestoreBatch batch = db.beginBatch()) {
      batch.commit();
      assertThatThrownBy(() -> batch.putDocument("late", "{}", "{}"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already committed");
    }
  }
}
