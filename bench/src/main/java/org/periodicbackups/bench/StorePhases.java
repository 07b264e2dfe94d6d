package org.periodicbackups.bench;

import static org.periodicbackups.bench.E2EReport.MIB;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * The store alone, the baseline of the backup and restore rows: the dataset's bulk insert, then a
 * scan of its documents and of its attachment contents in one snapshot.
 */
final class StorePhases {
  private final E2EReport report;
  private final Dataset dataset;

  StorePhases(E2EReport report, Dataset dataset) {
    this.report = report;
    this.dataset = dataset;
  }

  /** The MiB a restore writes: the documents' JSON and the attachments. */
  double dataMiB() {
    return (dataset.documentJsonBytes + dataset.attachmentBytes) / MIB;
  }

  /**
   * Loads the dataset into {@code db} in write batches.
   *
   * @return the nanoseconds it took, which restores are compared with
   */
  long load(SqliteDatabase db) throws IOException {
    report.startPhase();
    long insert = dataset.load(db);
    System.out.printf(
        Locale.ROOT,
        "dataset: %d documents, %.1f MiB of document JSON;" + " %d attachments, %.1f MiB%n",
        dataset.documents,
        dataset.documentJsonBytes / MIB,
        dataset.attachments,
        dataset.attachmentBytes / MIB);
    report.add("bulk insert (write batches)", insert, dataMiB(), 0, "");
    return insert;
  }

  /** Documents, then attachment contents, in one snapshot. */
  void scan(SqliteDatabase db) throws IOException {
    report.startPhase();
    long[] bytes = new long[1];
    long start = System.nanoTime();
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      snapshot.forEachDocument(
          0, d -> bytes[0] += d.key().length() + d.metadataJson().length() + d.bodyJson().length());
      long docsDone = System.nanoTime();
      report.add(
          "raw scan: documents (snapshot)",
          docsDone - start,
          dataset.documentJsonBytes / MIB,
          0,
          "");
      report.startPhase();
      long attachmentsStart = System.nanoTime();
      snapshot.forEachAttachment(
          0, (info, content) -> content.transferTo(OutputStream.nullOutputStream()));
      report.add(
          "raw scan: attachments (snapshot)",
          System.nanoTime() - attachmentsStart,
          dataset.attachmentBytes / MIB,
          0,
          "");
    }
  }
}
