package org.periodicbackups.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpWriter;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import org.periodicbackups.testing.MemoryDestination;

/**
 * A dump holding an entry the embedded store would refuse (written by another source, or forged),
 * after enough good entries to fill several restore batches: the restore refuses it during
 * verification, naming the file and the key, and writes nothing.
 */
class OversizedEntryRestoreTest {
  private static final Instant T0 = Instant.parse("2026-11-28T14:00:00.000Z");
  private static final String FILE =
      "shop/20261128T140000.000Z/000000-20261128T140000.000Z.full.json.gz";

  @TempDir Path temp;

  @Test
  void aDocumentAboveTheStoresLimitIsRefusedNamingTheKeyAndTheFileAndNothingIsWritten()
      throws IOException {
    String body =
        "{\"x\":\""
            + "a".repeat(Document.MAX_JSON_LENGTH / 2)
            + "\",\"y\":\""
            + "b".repeat(Document.MAX_JSON_LENGTH / 2)
            + "\"}";

    assertRefusedWithoutWrites(
        new Document("users/huge", 2_501, "{}", body),
        "Docs[2500].Body of 'users/huge' is longer than 20000000 chars");
  }

  @Test
  void aKeyAboveTheStoresLimitIsRefusedNamingTheFileAndNothingIsWritten() throws IOException {
    assertRefusedWithoutWrites(
        new Document("k".repeat(1_025), 2_501, "{}", "{}"), "Docs entry #2500 'kkkk");
  }

  private void assertRefusedWithoutWrites(Document bad, String problem) throws IOException {
    MemoryDestination destination = new MemoryDestination();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    Document placeholder = new Document("placeholder", bad.etag(), "{}", "{}");
    try (DumpWriter writer = DumpWriter.open(file, DumpHeader.full("shop", T0, 2_501))) {
      for (int i = 1; i <= 2_500; i++) {
        writer.writeDocument(new Document("users/" + i, i, "{}", "{\"N\":" + i + "}"));
      }
      writer.writeDocument(placeholder);
      writer.finish();
    }
    // The writer refuses such entries, as another source's writer or a forger would not.
    String json;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file.toByteArray()))) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String written =
        "{\"Key\":\"placeholder\",\"Etag\":" + bad.etag() + ",\"Metadata\":{},\"Body\":{}}";
    assertThat(json).contains(written);
    String forged =
        json.replace(
            written,
            "{\"Key\":\""
                + bad.key()
                + "\",\"Etag\":"
                + bad.etag()
                + ",\"Metadata\":"
                + bad.metadataJson()
                + ",\"Body\":"
                + bad.bodyJson()
                + "}");
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gzipped)) {
      out.write(forged.getBytes(StandardCharsets.UTF_8));
    }
    destination.put(FILE, gzipped.toByteArray());
    ChainRestorer restorer = new ChainRestorer(RestoreListener.NONE, 1_000, 1L << 20);

    try (SqliteStore store = new SqliteStore(temp)) {
      SqliteDatabase target = store.create("shop", Map.of());

      assertThatThrownBy(
              () ->
                  restorer.restore(
                      destination,
                      restorer.plan(destination, RestoreRequest.latest("shop")),
                      target))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageStartingWith(FILE + ": ")
          .hasMessageContaining(problem);
      assertThat(target.documentCount()).isZero();
      assertThat(target.lastEtag()).isZero();
    }
  }
}
