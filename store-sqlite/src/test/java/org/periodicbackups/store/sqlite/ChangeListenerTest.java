package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.store.sqlite.ChangeEvent.Kind;

class ChangeListenerTest extends DatabaseFixture {
  final List<ChangeEvent> events = new CopyOnWriteArrayList<>();

  @Test
  void listenerIsNotifiedAfterCommitOfEveryKindOfWrite() throws IOException {
    db.addChangeListener(
        event -> {
          try {
            // After the commit, a reader already sees the write.
            assertThat(db.lastEtag()).isGreaterThanOrEqualTo(event.etag());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          events.add(event);
        });
    db.putDocument("users/1", "{}", "{}");
    db.putAttachment("photo", "{}", new ByteArrayInputStream(new byte[] {1}));
    db.putSystemDocument(SystemDocuments.SETUP_KEY, "{}");
    db.deleteDocument("users/1");
    db.deleteAttachment("photo");
    assertThat(events)
        .containsExactly(
            new ChangeEvent(Kind.DOCUMENT, "users/1", 1, false),
            new ChangeEvent(Kind.ATTACHMENT, "photo", 2, false),
            new ChangeEvent(Kind.DOCUMENT, SystemDocuments.SETUP_KEY, 3, false),
            new ChangeEvent(Kind.DOCUMENT, "users/1", 4, true),
            new ChangeEvent(Kind.ATTACHMENT, "photo", 5, true));
  }

  @Test
  void aFailingListenerDoesNotFailTheWriteNorStopOtherListeners() throws IOException {
    db.addChangeListener(
        event -> {
          throw new IllegalStateException("listener bug (expected in this test)");
        });
    db.addChangeListener(events::add);
    assertThat(db.putDocument("users/1", "{}", "{}")).isEqualTo(1);
    assertThat(events).hasSize(1);
  }

  @Test
  void rolledBackWritesAreNotNotified() throws IOException {
    db.addChangeListener(events::add);
    assertThatThrownBy(
            () ->
                db.write(
                    writer -> {
                      writer.putDocument("users/1", "{}", "{}");
                      throw new IOException("abort");
                    }))
        .hasMessage("abort");
    try (var batch = db.beginBatch()) {
      batch.putDocument("users/2", "{}", "{}");
    }
    assertThat(events).isEmpty();
  }

  @Test
  void aListenerMayWriteAfterABatchCommitted() throws IOException {
    db.addChangeListener(
        event -> {
          if (event.key().equals("users/1")) {
            try {
              db.putDocument("users/1-audit", "{}", "{}");
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
    try (var batch = db.beginBatch()) {
      batch.putDocument("users/1", "{}", "{}");
      batch.commit();
    }
    assertThat(db.getDocument("users/1-audit")).isPresent();
  }

  @Test
  void removedListenerIsNoLongerNotified() throws IOException {
    ChangeListener listener = events::add;
    db.addChangeListener(listener);
    db.removeChangeListener(listener);
    db.putDocument("users/1", "{}", "{}");
    assertThat(events).isEmpty();
  }
}
