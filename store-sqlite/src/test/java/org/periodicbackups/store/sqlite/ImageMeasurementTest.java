package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.RestoreBatch;
import org.periodicbackups.api.source.StagedRestore;

/**
 * Rough timings, printed and never asserted: an image against a logical stream of the same
 * snapshot, and SQLite's two integrity checks. {@code -Dpbk.image.documents=N} sets the size
 * (200,000 documents of about 1 KiB by default, a database of about 250 MB).
 */
class ImageMeasurementTest extends DatabaseFixture {
  private static final int DOCUMENTS = Integer.getInteger("pbk.image.documents", 200_000);
  private static final int PER_TRANSACTION = 20_000;

  @TempDir Path elsewhere;

  /** Counts what is written to it and drops it. */
  private static final class CountingStream extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
      bytes += length;
    }
  }

  @Test
  void anImageIsTimedAgainstALogicalStreamAndTheChecksAgainstEachOther() throws Exception {
    String body = "{\"Text\":\"" + "y".repeat(1_000) + "\"}";
    long start = System.nanoTime();
    for (int from = 0; from < DOCUMENTS; from += PER_TRANSACTION) {
      int first = from;
      db.write(
          writer -> {
            for (int i = first; i < Math.min(first + PER_TRANSACTION, DOCUMENTS); i++) {
              writer.putDocument("docs/" + i, "{\"Raven-Entity-Name\":\"Docs\"}", body);
            }
          });
    }
    long fill = System.nanoTime() - start;

    CountingStream image = new CountingStream();
    CountingStream logical = new CountingStream();
    long imageNanos;
    long logicalNanos;
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      start = System.nanoTime();
      snapshot.image().orElseThrow().writeTo(image);
      imageNanos = System.nanoTime() - start;
      start = System.nanoTime();
      snapshot.forEachDocument(
          0,
          document -> {
            logical.write(document.key().getBytes(StandardCharsets.UTF_8));
            logical.write(document.metadataJson().getBytes(StandardCharsets.UTF_8));
            logical.write(document.bodyJson().getBytes(StandardCharsets.UTF_8));
          });
      logicalNanos = System.nanoTime() - start;
    }
    assertThat(image.bytes).isEqualTo(Files.size(db.file()));
    long[] restores = timeRestores();

    long integrityNanos = timeCheck("integrity_check");
    long quickNanos = timeCheck("quick_check");
    System.out.printf(
        "%,d documents of ~1 KiB written in %d ms; database %,d bytes%n"
            + "image: %,d bytes in %d ms; logical document stream: %,d bytes in %d ms%n"
            + "restore into a new database: from the image (stage, check, commit) %d ms;"
            + " logically (batches of %,d, check, commit) %d ms%n"
            + "PRAGMA integrity_check %d ms, quick_check %d ms%n",
        DOCUMENTS,
        fill / 1_000_000,
        Files.size(db.file()),
        image.bytes,
        imageNanos / 1_000_000,
        logical.bytes,
        logicalNanos / 1_000_000,
        restores[0] / 1_000_000,
        PER_TRANSACTION,
        restores[1] / 1_000_000,
        integrityNanos / 1_000_000,
        quickNanos / 1_000_000);
  }

  /** Nanoseconds to restore the database from an image and logically, each into a new one. */
  private long[] timeRestores() throws IOException {
    Path imageFile = Images.toFile(db, elsewhere.resolve("image").resolve("shop.image"));
    try (SqliteStore target = new SqliteStore(elsewhere.resolve("target"), Map.of())) {
      long start = System.nanoTime();
      try (InputStream in = Files.newInputStream(imageFile);
          StagedRestore staged =
              target.newDatabaseTarget("fromImage").stageImage(SqliteStore.IMAGE_FORMAT, in)) {
        staged.check();
        staged.commit();
      }
      long fromImage = System.nanoTime() - start;
      Files.delete(imageFile);

      start = System.nanoTime();
      try (ChangeSnapshot snapshot = db.openSnapshot();
          StagedRestore staged = target.newDatabaseTarget("logical").stage().orElseThrow()) {
        RestoreBatch[] batch = {staged.beginBatch()};
        int[] inBatch = {0};
        snapshot.forEachDocument(
            0,
            document -> {
              batch[0].putDocument(document.key(), document.metadataJson(), document.bodyJson());
              if (++inBatch[0] == PER_TRANSACTION) {
                batch[0].commit();
                batch[0].close();
                batch[0] = staged.beginBatch();
                inBatch[0] = 0;
              }
            });
        batch[0].commit();
        batch[0].close();
        staged.check();
        staged.commit();
      }
      long logical = System.nanoTime() - start;
      assertThat(target.open("fromImage").documentCount()).isEqualTo(DOCUMENTS);
      assertThat(target.open("logical").documentCount()).isEqualTo(DOCUMENTS);
      return new long[] {fromImage, logical};
    }
  }

  private long timeCheck(String pragma) throws IOException, SQLException {
    ReaderPool readers = db.connections().readers();
    Connection connection = readers.borrow();
    try (Statement statement = connection.createStatement()) {
      long start = System.nanoTime();
      try (ResultSet rows = statement.executeQuery("PRAGMA " + pragma)) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("ok");
      }
      return System.nanoTime() - start;
    } finally {
      readers.release(connection);
    }
  }
}
