package org.periodicbackups.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * End to end, in one run, on one generated database ({@link Dataset}): the store's raw bulk insert
 * and scan rates; per codec, the codec alone on the uncompressed dump bytes (same threads), a full
 * backup to the filesystem, an incremental after 0.1% of the documents changed, a restore of that
 * chain into an empty database, and a full backup to an embedded S3Proxy next to a plain SDK
 * multipart upload of the same file to it; optionally restic on the same database folder. Prints
 * one table and the targets, met or missed.
 *
 * <p>Arguments ({@code --name=value}): {@code docs} (200000), {@code seed} (42), {@code work} (a
 * folder, emptied), {@code codecs} ({@code gzip:6,gzip:1,zstd:3,zstd:1}), {@code threads} (the
 * processors), {@code restic} ({@code true} to run restic if it is on the PATH), {@code
 * restore-batches} (restore batch limits as {@code operations:MiB}, comma-separated to compare
 * several; the restorer's defaults otherwise), {@code s3} ({@code false} skips the full backups to
 * an embedded S3Proxy and the plain SDK uploads next to them).
 *
 * <p>Each phase is a class of its own ({@link StorePhases}, {@link FilesystemBackupPhases}, {@link
 * RestorePhase}, {@link S3Phase}, {@link ResticPhase}) reporting to one {@link E2EReport}; {@link
 * #run()} calls them in order.
 */
public final class E2EBenchmark {
  private static final String DB = "bench";

  private final E2EOptions options;
  private final Path work;
  private final MemoryWatch memory = new MemoryWatch();

  private E2EBenchmark(E2EOptions options) {
    this.options = options;
    this.work = options.work();
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    new E2EBenchmark(E2EOptions.parse(args)).run();
  }

  private void run() throws Exception {
    int docs = options.docs();
    long seed = options.seed();
    deleteTree(work);
    Files.createDirectories(work);
    System.out.printf(
        Locale.ROOT,
        "docs %d, seed %d, compression threads %d, codecs %s,"
            + " %d cores, max heap %d MiB, java %s%n",
        docs,
        seed,
        options.threads(),
        options.compressions(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));

    Dataset dataset = new Dataset(docs, seed);
    E2EReport report = new E2EReport(memory, dataset);
    S3Phase s3 = null;
    try (SqliteStore store = new SqliteStore(work.resolve("data"));
        SqliteStore restoreStore = new SqliteStore(work.resolve("restored"))) {
      SqliteDatabase db = store.create(DB, Map.of());
      StorePhases storePhases = new StorePhases(report, dataset);
      long insert = storePhases.load(db);
      storePhases.scan(db);

      ResticPhase restic =
          options.restic() ? ResticPhase.onPath(work.resolve("restic-repo"), report) : null;
      long resticFull = 0;
      if (restic != null) {
        resticFull = restic.backup("restic full", store.dataDir());
      }
      if (options.s3()) {
        s3 = new S3Phase(new BenchS3Proxy(work.resolve("s3proxy-store")), work, report);
      }
      FilesystemBackupPhases filesystem =
          new FilesystemBackupPhases(report, work, work.resolve("backups"));
      filesystem.warmUp(db, options.compressions().get(0));
      RestorePhase restore =
          new RestorePhase(
              report, dataset, restoreStore, filesystem.backups(), insert, storePhases.dataMiB());

      int round = 0;
      for (DumpCompression compression : options.compressions()) {
        String name = compression.codec().codecName() + "-" + compression.level();
        FilesystemBackupPhases.Full full = filesystem.full(db, compression, name);
        int changed = Math.max(1, docs / 1000);
        dataset.change(db, changed, seed + 1000 + round);
        BackupRecord inc = filesystem.incremental(db, name, changed, full.nanos());
        if (restic != null && round == 0) {
          restic.backup("restic after 0.1% change", store.dataDir());
        }
        long resticRestore = 0;
        if (restic != null && round == 0) {
          resticRestore = restic.restore("restic restore", work.resolve("restic-restored"));
          deleteTree(work.resolve("restic-restored"));
        }
        for (long[] batch : options.restoreBatches()) {
          String label =
              options.restoreBatches().size() == 1
                  ? ""
                  : String.format(Locale.ROOT, ", batches %d/%d MiB", batch[0], batch[1] >> 20);
          restore.run(DB, inc.fileName(), name + label, batch);
        }
        if (round == 0) { // the snapshot type: an image full, the same 0.1% incremental, restore
          BackupRecord image =
              filesystem.snapshot(db, compression, name, resticFull, full.record().size());
          dataset.change(db, changed, seed + 2000);
          BackupRecord after =
              filesystem.incremental(
                  db, name + " after snapshot", changed, image.durationMilliseconds() * 1_000_000L);
          restore.snapshot(DB, after.fileName(), name, resticRestore);
          if (!image.fileName().contains(".snapshot.")) {
            throw new IllegalStateException("not a snapshot file: " + image.fileName());
          }
        }
        if (s3 != null) { // after the restore: this full starts a new chain
          s3.full(
              db,
              filesystem.backups().resolve(full.record().fileName()),
              compression,
              name,
              filesystem.rawBytes(),
              full.codecAloneNanos());
        }
        round++;
      }
    }
    if (s3 != null) {
      s3.close();
    }
    report.print();
    memory.close();
    if (!options.keep()) {
      deleteTree(work);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
