package org.periodicbackups.bench;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupListener;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.dump.DumpCodec;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreListener;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.destination.filesystem.FilesystemDestinationProvider;
import org.periodicbackups.aws.AwsClientConfig;
import org.periodicbackups.destination.s3.S3Destination;
import org.periodicbackups.destination.s3.S3DestinationConfig;
import org.periodicbackups.destination.s3.S3DestinationProvider;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * End to end, in one run, on one generated database ({@link Dataset}): the store's raw bulk
 * insert and scan rates; per codec, the codec alone on the uncompressed dump bytes (same
 * threads), a full backup to the filesystem, an incremental after 0.1% of the documents
 * changed, a restore of that chain into an empty database, and a full backup to an embedded
 * S3Proxy next to a plain SDK multipart upload of the same file to it; optionally restic on the
 * same database folder. Prints one table and the targets, met or missed.
 *
 * <p>Arguments ({@code --name=value}): {@code docs} (200000), {@code seed} (42), {@code work}
 * (a folder, emptied), {@code codecs} ({@code gzip:6,gzip:1,zstd:3,zstd:1}), {@code threads}
 * (the processors), {@code restic} ({@code true} to run restic if it is on the PATH),
 * {@code restore-batches} (restore batch limits as {@code operations:MiB}, comma-separated to
 * compare several; the restorer's defaults otherwise), {@code s3} ({@code false} skips the full
 * backups to an embedded S3Proxy and the plain SDK uploads next to them).
 */
public final class E2EBenchmark {
  private static final String DB = "bench";
  private static final double MIB = 1024.0 * 1024.0;

  private final Map<String, String> options;
  private final Path work;
  private final MemoryWatch memory = new MemoryWatch();
  private final List<Row> rows = new ArrayList<>();
  private final List<String> targets = new ArrayList<>();
  private final List<long[]> restoreBatches = new ArrayList<>();
  private Dataset dataset;
  private S3Run s3;

  private E2EBenchmark(Map<String, String> options) {
    this.options = options;
    this.work = Path.of(options.getOrDefault("work", "bench-work"));
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      options.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    new E2EBenchmark(options).run();
  }

  private void run() throws Exception {
    int docs = Integer.parseInt(options.getOrDefault("docs", "200000"));
    long seed = Long.parseLong(options.getOrDefault("seed", "42"));
    int threads = Integer.parseInt(options.getOrDefault("threads",
        String.valueOf(DumpCompression.defaultThreads())));
    // Restore batch limits, operations:MiB per batch; more than one compares them.
    for (String b : options.getOrDefault("restore-batches", ChainRestorer.DEFAULT_BATCH_OPERATIONS
        + ":" + (ChainRestorer.DEFAULT_BATCH_BYTES >> 20)).split(",")) {
      String[] parts = b.split(":");
      restoreBatches.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]) << 20});
    }
    List<DumpCompression> compressions = new ArrayList<>();
    for (String c : options.getOrDefault("codecs", "gzip:6,gzip:1,zstd:3,zstd:1").split(",")) {
      String[] parts = c.split(":");
      compressions.add(new DumpCompression(DumpCodec.named(parts[0]).orElseThrow(),
          Integer.parseInt(parts[1]), threads));
    }
    deleteTree(work);
    Files.createDirectories(work);
    System.out.printf(Locale.ROOT, "docs %d, seed %d, compression threads %d, codecs %s,"
        + " %d cores, max heap %d MiB, java %s%n", docs, seed, threads, compressions,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));

    dataset = new Dataset(docs, seed);
    Path backups = work.resolve("backups");
    try (SqliteStore store = new SqliteStore(work.resolve("data"));
        SqliteStore restoreStore = new SqliteStore(work.resolve("restored"))) {
      SqliteDatabase db = store.create(DB, Map.of());
      memory.reset();
      long insert = dataset.load(db);
      double dataMiB = (dataset.documentJsonBytes + dataset.attachmentBytes) / MIB;
      System.out.printf(Locale.ROOT, "dataset: %d documents, %.1f MiB of document JSON;"
          + " %d attachments, %.1f MiB%n", docs, dataset.documentJsonBytes / MIB,
          dataset.attachments, dataset.attachmentBytes / MIB);
      add("bulk insert (write batches)", insert, dataMiB, 0, "");
      scan(db);

      Restic restic = Boolean.parseBoolean(options.getOrDefault("restic", "false"))
          ? Restic.onPath(work.resolve("restic-repo")) : null;
      if (restic != null) {
        restic.backup("restic full", store.dataDir(), this);
      }

      if (Boolean.parseBoolean(options.getOrDefault("s3", "true"))) {
        s3 = new S3Run(new BenchS3Proxy(work.resolve("s3proxy-store")), work);
      }
      Timed engine = new Timed();
      BackupEngine backupEngine = new BackupEngine(new DestinationResolver(DestinationRegistry.of(
          List.of(new FilesystemDestinationProvider()))), work.resolve("engine-work"),
          Clock.systemUTC(), engine);
      // Warm-up (not counted): JIT, and the uncompressed dump bytes for the codec-alone rows.
      setup(db, backups, compressions.get(0));
      BackupRecord warm = backupEngine.run(db, new BackupRequest(true, false)).backup()
          .orElseThrow();
      Path raw = work.resolve("dump.json");
      decompress(backups.resolve(warm.fileName()), raw);
      long rawBytes = Files.size(raw);
      System.out.printf(Locale.ROOT, "uncompressed full dump: %.1f MiB (the bytes every codec"
          + " row compresses)%n", rawBytes / MIB);

      int round = 0;
      for (DumpCompression compression : compressions) {
        String name = compression.codec().codecName() + "-" + compression.level();
        long alone = codecAlone(compression, raw, rawBytes, name);
        setup(db, backups, compression);
        memory.reset();
        engine.reset();
        long start = System.nanoTime();
        BackupRecord full = backupEngine.run(db, new BackupRequest(true, false)).backup()
            .orElseThrow();
        long fullNanos = System.nanoTime() - start;
        add("full backup " + name, fullNanos, rawBytes / MIB, full.size(),
            String.format(Locale.ROOT, "codec alone / full = %.2f (export %.2f s)",
                (double) alone / fullNanos, (engine.lastExport - start) / 1e9));
        targets.add(String.format(Locale.ROOT, "full backup >= 0.8 x codec alone (%s): %.2f -> %s",
            name, (double) alone / fullNanos, alone >= 0.8 * fullNanos ? "MET" : "MISSED"));

        dataset.change(db, Math.max(1, docs / 1000), seed + 1000 + round);
        memory.reset();
        start = System.nanoTime();
        BackupOutcome outcome = backupEngine.run(db, BackupRequest.SCHEDULED);
        long incNanos = System.nanoTime() - start;
        BackupRecord inc = outcome.backup().orElseThrow();
        if (inc.type() != BackupType.INCREMENTAL) {
          throw new IllegalStateException("expected an incremental, got " + inc);
        }
        add("incremental " + name + " (" + Math.max(1, docs / 1000) + " changed)", incNanos, 0,
            inc.size(), String.format(Locale.ROOT, "%.2f%% of the full's time",
                100.0 * incNanos / fullNanos));
        targets.add(String.format(Locale.ROOT, "incremental < 1 s and < 2%% of full (%s): %.3f s,"
            + " %.2f%% -> %s", name, incNanos / 1e9, 100.0 * incNanos / fullNanos,
            incNanos < 1e9 && incNanos < 0.02 * fullNanos ? "MET" : "MISSED"));
        if (restic != null && round == 0) {
          restic.backup("restic after 0.1% change", store.dataDir(), this);
        }

        for (long[] batch : restoreBatches) {
          String label = restoreBatches.size() == 1 ? "" : String.format(Locale.ROOT,
              ", batches %d/%d MiB", batch[0], batch[1] >> 20);
          restore(restoreStore, backups, inc.fileName(), name + label, insert, dataMiB, batch);
        }
        if (s3 != null) { // after the restore: this full starts a new chain
          fullToS3(db, s3, backups.resolve(full.fileName()), compression, name, rawBytes,
              alone);
        }
        round++;
      }
    }
    if (s3 != null) {
      s3.close();
    }
    print();
    memory.close();
    if (!Boolean.parseBoolean(options.getOrDefault("keep", "false"))) {
      deleteTree(work);
    }
  }

  /** Restores the chain up to {@code untilFile} into a new database, checks and drops it. */
  private void restore(SqliteStore restoreStore, Path backups, String untilFile, String name,
      long insert, double dataMiB, long[] batch) throws IOException {
    SqliteDatabase target = restoreStore.create("restored", Map.of());
    memory.reset();
    long start = System.nanoTime();
    RestoreResult result;
    try (FilesystemDestination source = new FilesystemDestination(backups)) {
      ChainRestorer restorer = new ChainRestorer(RestoreListener.NONE, (int) batch[0], batch[1]);
      result = restorer.restore(source, restorer.plan(source,
          RestoreRequest.latest(DB).untilFile(untilFile)), target);
    }
    long restoreNanos = System.nanoTime() - start;
    if (target.documentCount() != dataset.documents
        || target.attachmentCount() != dataset.attachments) {
      throw new IllegalStateException("restore of " + name + " has " + target.documentCount()
          + " documents and " + target.attachmentCount() + " attachments");
    }
    add("restore " + name + " (full + incremental)", restoreNanos, dataMiB, 0,
        String.format(Locale.ROOT, "insert / restore = %.2f; %d files",
            (double) insert / restoreNanos, result.files().size()));
    targets.add(String.format(Locale.ROOT, "restore >= 0.7 x bulk insert (%s): %.2f -> %s",
        name, (double) insert / restoreNanos, insert >= 0.7 * restoreNanos ? "MET" : "MISSED"));
    restoreStore.delete("restored");
  }

  /**
   * A full backup to the embedded S3Proxy (export, multipart upload, status), then a plain SDK
   * multipart upload of the filesystem full backup of the same codec (same size, same part size)
   * to the same server: the limit the destination's upload is compared with.
   */
  private void fullToS3(SqliteDatabase db, S3Run s3, Path sameFile, DumpCompression compression,
      String name, long rawBytes, long alone) throws Exception {
    db.putSetting(AwsClientConfig.ACCESS_KEY_SETTING, BenchS3Proxy.ACCESS);
    db.putSecuredSetting(AwsClientConfig.SECRET_KEY_SETTING, BenchS3Proxy.SECRET);
    db.putSystemDocument(SystemDocuments.SETUP_KEY, "{\"S3BucketName\":\"" + S3Run.BUCKET
        + "\",\"S3RemoteFolderName\":\"engine\",\"Destinations\":{\"s3\":{\"Endpoint\":\""
        + s3.proxy.endpoint + "\",\"PathStyle\":\"true\"}},\"Compression\":\""
        + compression.codec().codecName() + "\",\"CompressionLevel\":" + compression.level()
        + "}");
    memory.reset();
    s3.timing.reset();
    long start = System.nanoTime();
    BackupRecord full = s3.engine.run(db, new BackupRequest(true, false)).backup().orElseThrow();
    long nanos = System.nanoTime() - start;
    long upload = nanos - (s3.timing.lastExport - start);
    add("full backup to S3Proxy " + name, nanos, rawBytes / MIB, full.size(),
        String.format(Locale.ROOT, "codec alone / full = %.2f; after export %.2f s (%.1f MiB/s)",
            (double) alone / nanos, upload / 1e9, full.size() / MIB / (upload / 1e9)));
    memory.reset();
    start = System.nanoTime();
    try (S3Client client = s3.proxy.client()) {
      S3UploadBenchmark.plainMultipart(client, S3Run.BUCKET, sameFile, "plain/" + full.fileName(),
          s3.partSize);
    }
    long plain = System.nanoTime() - start;
    add("plain SDK multipart upload, same size", plain, 0, Files.size(sameFile),
        String.format(Locale.ROOT, "%.1f MiB/s; its time / upload after export = %.2f",
            Files.size(sameFile) / MIB / (plain / 1e9), (double) plain / upload));
    targets.add(String.format(Locale.ROOT, "S3 upload >= 0.9 x plain SDK multipart (%s): %.2f"
        + " -> %s", name, (double) plain / upload, plain >= 0.9 * upload ? "MET" : "MISSED"));
  }

  /** The store alone: documents, then attachment contents, in one snapshot. */
  private void scan(SqliteDatabase db) throws IOException {
    memory.reset();
    long[] bytes = new long[1];
    long start = System.nanoTime();
    try (ChangeSnapshot snapshot = db.openSnapshot()) {
      snapshot.forEachDocument(0, d -> bytes[0] += d.key().length() + d.metadataJson().length()
          + d.bodyJson().length());
      long docsDone = System.nanoTime();
      add("raw scan: documents (snapshot)", docsDone - start, dataset.documentJsonBytes / MIB, 0,
          "");
      memory.reset();
      long attachmentsStart = System.nanoTime();
      snapshot.forEachAttachment(0, (info, content) -> content.transferTo(
          OutputStream.nullOutputStream()));
      add("raw scan: attachments (snapshot)", System.nanoTime() - attachmentsStart,
          dataset.attachmentBytes / MIB, 0, "");
    }
  }

  /** The codec on the uncompressed dump: file to file, same class and threads as a backup. */
  private long codecAlone(DumpCompression compression, Path raw, long rawBytes, String name)
      throws IOException {
    Path out = work.resolve("codec-alone.out");
    readFully(raw); // the page cache holds it for the timed read, as it holds SQLite's pages
    memory.reset();
    long start = System.nanoTime();
    try (InputStream in = Files.newInputStream(raw);
        OutputStream compressed = compression.open(
            new BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
      in.transferTo(compressed);
    }
    long nanos = System.nanoTime() - start;
    add("codec alone " + name, nanos, rawBytes / MIB, Files.size(out), "");
    Files.delete(out);
    return nanos;
  }

  private static void setup(SqliteDatabase db, Path backups, DumpCompression compression)
      throws IOException {
    db.putSystemDocument(SystemDocuments.SETUP_KEY, "{\"LocalFolderName\":\""
        + backups.toAbsolutePath().toString().replace("\\", "\\\\") + "\",\"Compression\":\""
        + compression.codec().codecName() + "\",\"CompressionLevel\":" + compression.level()
        + "}");
  }

  void add(String phase, long nanos, double inputMiB, long outputBytes, String note) {
    Row row = new Row(phase, nanos, memory.cpuSeconds(), MemoryWatch.loadAverage(), inputMiB,
        outputBytes, memory.peakHeap(), MemoryWatch.peakRss(), note);
    rows.add(row);
    System.out.println("  " + row.format(dataset));
  }

  private void print() {
    System.out.println();
    System.out.println(Row.HEADER);
    rows.forEach(r -> System.out.println(r.format(dataset)));
    System.out.println();
    System.out.println("docJSON and input in MiB/s (docJSON: the documents' JSON per second of"
        + " the phase; input: the bytes the phase reads: dump JSON for codecs and backups, JSON"
        + " and attachments for the store); output, heap and RSS in MiB; cpu s: this"
        + " process's CPU time; load: 1-minute load average at the end of the phase");
    System.out.println("peak RSS is " + (memory.rssReset ? "per phase (VmHWM reset through"
        + " /proc/self/clear_refs)" : "since JVM start (VmHWM could not be reset)"));
    targets.forEach(t -> System.out.println("target: " + t));
  }

  private static void decompress(Path file, Path raw) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        InputStream plain = file.toString().endsWith(".zst") ? new ZstdInputStream(in)
            : new GZIPInputStream(in, 1 << 16)) {
      Files.copy(plain, raw);
    }
  }

  private static void readFully(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** One line of the table. */
  record Row(String phase, long nanos, double cpuSeconds, String load, double inputMiB,
      long outputBytes, long peakHeap, long peakRss, String note) {
    static final String HEADER = String.format(Locale.ROOT, "%-44s %8s %7s %5s %9s %8s %8s %8s"
        + " %6s %6s  %s", "phase", "seconds", "cpu s", "load", "docs/s", "docJSON", "input",
        "output", "heap", "RSS", "note");

    String format(Dataset dataset) {
      double s = nanos / 1e9;
      boolean perDoc = inputMiB > 0 && !phase.startsWith("raw scan: att");
      return String.format(Locale.ROOT, "%-44s %8.3f %7.2f %5s %9s %8s %8s %8s %6.0f %6.0f  %s",
          phase, s, cpuSeconds, load, perDoc ? String.format(Locale.ROOT, "%.0f", dataset.documents / s) : "-",
          perDoc ? String.format(Locale.ROOT, "%.1f", dataset.documentJsonBytes / MIB / s) : "-",
          inputMiB > 0 ? String.format(Locale.ROOT, "%.1f", inputMiB / s) : "-",
          outputBytes > 0 ? String.format(Locale.ROOT, "%.1f", outputBytes / MIB) : "-",
          peakHeap / MIB, peakRss / MIB, note);
    }
  }

  /** Records when the last export progress arrived: the end of the export phase. */
  private static final class Timed implements BackupListener {
    volatile long lastExport;

    void reset() {
      lastExport = 0;
    }

    @Override
    public void exported(String database, long bytes) {
      lastExport = System.nanoTime();
    }
  }

  /** The embedded S3Proxy, a backup engine that knows the S3 destination, and its timing. */
  private static final class S3Run implements AutoCloseable {
    static final String BUCKET = "bench";
    final BenchS3Proxy proxy;
    final Timed timing = new Timed();
    final BackupEngine engine;
    final long partSize = S3DestinationConfig.DEFAULT_PART_SIZE;

    S3Run(BenchS3Proxy proxy, Path work) throws Exception {
      this.proxy = proxy;
      // Warm-up (not counted): the destination's and the plain SDK's upload paths, 3 parts.
      Path warm = work.resolve("s3-warm-up.bin");
      S3UploadBenchmark.writeRandomFile(warm, 3 * partSize);
      try (S3Client client = proxy.client();
          S3Destination destination = S3Destination.builder().bucket(BUCKET)
              .prefix("warm-up").aws(a -> a.endpoint(proxy.endpoint)
                  .credentials(BenchS3Proxy.ACCESS, BenchS3Proxy.SECRET)).build()) {
        client.createBucket(b -> b.bucket(BUCKET));
        destination.upload("warm-up.bin", warm, new UploadMetadata("bench", BackupType.FULL, 0,
            1, "0".repeat(64)));
        S3UploadBenchmark.plainMultipart(client, BUCKET, warm, "warm-up/plain.bin", partSize);
      } finally {
        Files.delete(warm);
      }
      engine = new BackupEngine(new DestinationResolver(DestinationRegistry.of(List.of(
          new FilesystemDestinationProvider(), new S3DestinationProvider()))),
          work.resolve("engine-work-s3"), Clock.systemUTC(), timing);
    }

    @Override
    public void close() throws Exception {
      proxy.close();
    }
  }

  /** restic on the same database folder, for comparison; repository sizes from disk. */
  static final class Restic {
    private final Path repo;

    private Restic(Path repo) {
      this.repo = repo;
    }

    static Restic onPath(Path repo) throws IOException, InterruptedException {
      Restic restic = new Restic(repo);
      if (restic.exec("init") != 0) {
        System.out.println("restic not available; skipped");
        return null;
      }
      return restic;
    }

    void backup(String phase, Path folder, E2EBenchmark bench)
        throws IOException, InterruptedException {
      long before = size(repo);
      bench.memory.reset();
      long start = System.nanoTime();
      int rc = exec("backup", "--quiet", folder.toAbsolutePath().toString());
      long nanos = System.nanoTime() - start;
      if (rc != 0) {
        throw new IOException("restic backup failed with exit code " + rc);
      }
      bench.add(phase + " (database folder)", nanos, folderSize(folder) / MIB,
          size(repo) - before, String.format(Locale.ROOT, "repository now %.1f MiB",
              size(repo) / MIB));
    }

    private int exec(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("restic", "-r", repo.toString()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
      builder.environment().put("RESTIC_PASSWORD", "bench-only");
      builder.environment().put("RESTIC_CACHE_DIR", repo.resolveSibling("restic-cache").toString());
      try {
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          return -1;
        }
        return process.exitValue();
      } catch (IOException e) {
        return -1; // not installed
      }
    }

    private static long size(Path folder) throws IOException {
      return folderSize(folder);
    }

    static long folderSize(Path folder) throws IOException {
      if (!Files.exists(folder)) {
        return 0;
      }
      try (Stream<Path> paths = Files.walk(folder)) {
        return paths.filter(Files::isRegularFile).mapToLong(p -> {
          try {
            return Files.size(p);
          } catch (IOException e) {
            return 0;
          }
        }).sum();
      }
    }
  }
}
