package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.source.ChangeSnapshot;

class StreamingTest {
  private static final int COUNT = 20_000;

  @TempDir Path dataDir;

  @Test
  void twentyThousandDocumentsInOneBatchStreamBackInEtagOrder() throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      SqliteDatabase db = store.create("bulk", Map.of());
      db.write(
          writer -> {
            for (int i = 0; i < COUNT; i++) {
              writer.putDocument(
                  "items/" + i,
                  "{\"Raven-Entity-Name\":\"Items\"}",
                  "{\"Number\":" + i + ",\"Text\":\"item number " + i + "\"}");
            }
          });
      assertThat(db.documentCount()).isEqualTo(COUNT);

      long[] seen = {0, 0};
      try (ChangeSnapshot snapshot = db.openSnapshot()) {
        assertThat(snapshot.lastEtag()).isEqualTo(COUNT);
        snapshot.forEachDocument(
            0,
            doc -> {
              // Checked one at a time, as they arrive: nothing is collected.
              assertThat(doc.etag()).isEqualTo(seen[1] + 1);
              assertThat(doc.key()).isEqualTo("items/" + seen[0]);
              seen[0]++;
              seen[1] = doc.etag();
            });
      }
      assertThat(seen[0]).isEqualTo(COUNT);

      long[] byKey = {0};
      db.forEachDocument(doc -> byKey[0]++);
      assertThat(byKey[0]).isEqualTo(COUNT);
    }
  }
}
