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
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.destination.filesystem.FilesystemDestinationProvider;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * End to end, in one run, on one generated database ({@link Dataset}): the store's raw bulk
 * insert and scan rates; per codec, the codec alone on the uncompressed dump bytes (same
 * threads), a full backup to the filesystem, an incremental after 0.1% of the documents
 * changed, and a restore of that chain into an empty database; optionally restic on the same
 * database folder. Prints one table and the targets, met or missed.
 *
 * <p>Arguments ({@code --name=value}): {@code docs} (200000), {@code seed} (42), {@code work}
 * (a folder, emptied), {@code codecs} ({@code gzip:6,gzip:1,zstd:3,zstd:1}), {@code threads}
 * (the processors), {@code restic} ({@code true} to run restic if it is on the PATH).
 */
public final class E2EBenchmark {
  private static final String DB = "bench";
  private static final double MIB = 1024.0 * 1024.0;

  private final Map<String, String> options;
  private final Path work;
  private final MemoryWatch memory = new MemoryWatch();
  private final List<Row> rows = new ArrayList<>();
  private final List<String> targets = new ArrayList<>();
  private Dataset dataset;

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

        SqliteDatabase target = restoreStore.create("restored" + round, Map.of());
        memory.reset();
        start = System.nanoTime();
        RestoreResult result;
        try (FilesystemDestination source = new FilesystemDestination(backups)) {
          ChainRestorer restorer = new ChainRestorer();
          result = restorer.restore(source, restorer.plan(source,
              RestoreRequest.latest(DB).untilFile(inc.fileName())), target);
        }
        long restoreNanos = System.nanoTime() - start;
        if (target.documentCount() != docs || target.attachmentCount() != dataset.attachments) {
          throw new IllegalStateException("restore of " + name + " has " + target.documentCount()
              + " documents and " + target.attachmentCount() + " attachments");
        }
        add("restore " + name + " (full + incremental)", restoreNanos, dataMiB, 0,
            String.format(Locale.ROOT, "insert / restore = %.2f; %d files",
                (double) insert / restoreNanos, result.files().size()));
        targets.add(String.format(Locale.ROOT, "restore >= 0.7 x bulk insert (%s): %.2f -> %s",
            name, (double) insert / restoreNanos, insert >= 0.7 * restoreNanos ? "MET" : "MISSED"));
        restoreStore.delete("restored" + round);
        round++;
      }
    }
    print();
    memory.close();
    if (!Boolean.parseBoolean(options.getOrDefault("keep", "false"))) {
      deleteTree(work);
    }
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
