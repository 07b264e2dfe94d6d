package org.periodicbackups.bench;

import static org.periodicbackups.bench.E2EReport.MIB;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.destination.filesystem.FilesystemDestinationProvider;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * Backups to the filesystem, per codec: the codec alone on the uncompressed dump bytes (same class
 * and threads as a backup), a full backup, and an incremental after a change; each with its target.
 * A warm-up full backup, not counted, gives the JIT its start and the codec rows their input.
 */
final class FilesystemBackupPhases {
  private final E2EReport report;
  private final Path work;
  private final Path backups;
  private final ExportTimer timing = new ExportTimer();
  private final BackupEngine engine;
  private Path raw;
  private long rawBytes;

  /** A full backup and what it is compared with. */
  record Full(BackupRecord record, long nanos, long codecAloneNanos) {}

  FilesystemBackupPhases(E2EReport report, Path work, Path backups) {
    this.report = report;
    this.work = work;
    this.backups = backups;
    this.engine =
        new BackupEngine(
            new DestinationResolver(
                DestinationRegistry.of(List.of(new FilesystemDestinationProvider()))),
            work.resolve("engine-work"),
            Clock.systemUTC(),
            timing);
  }

  /** The folder the backups are written to. */
  Path backups() {
    return backups;
  }

  /** The size of the uncompressed full dump, known after {@link #warmUp}. */
  long rawBytes() {
    return rawBytes;
  }

  /**
   * Warm-up (not counted): JIT, and the uncompressed dump bytes for the codec-alone rows, from a
   * full backup with {@code compression}.
   */
  void warmUp(SqliteDatabase db, DumpCompression compression) throws IOException {
    setup(db, backups, compression);
    BackupRecord warm = engine.run(db, new BackupRequest(true, false)).backup().orElseThrow();
    raw = work.resolve("dump.json");
    decompress(backups.resolve(warm.fileName()), raw);
    rawBytes = Files.size(raw);
    System.out.printf(
        Locale.ROOT,
        "uncompressed full dump: %.1f MiB (the bytes every codec" + " row compresses)%n",
        rawBytes / MIB);
  }

  /** The codec alone, then a full backup with it, compared. */
  Full full(SqliteDatabase db, DumpCompression compression, String name) throws IOException {
    long alone = codecAlone(compression, name);
    setup(db, backups, compression);
    report.startPhase();
    timing.reset();
    long start = System.nanoTime();
    BackupRecord full = engine.run(db, new BackupRequest(true, false)).backup().orElseThrow();
    long fullNanos = System.nanoTime() - start;
    report.add(
        "full backup " + name,
        fullNanos,
        rawBytes / MIB,
        full.size(),
        String.format(
            Locale.ROOT,
            "codec alone / full = %.2f (export %.2f s)",
            (double) alone / fullNanos,
            (timing.lastExport - start) / 1e9));
    report.target(
        String.format(
            Locale.ROOT,
            "full backup >= 0.7 x codec alone (%s): %.2f -> %s",
            name,
            (double) alone / fullNanos,
            alone >= 0.7 * fullNanos ? "MET" : "MISSED"));
    return new Full(full, fullNanos, alone);
  }

  /**
   * A full backup of a {@code "BackupType": "Snapshot"} setup (an image of the database), compared
   * with restic's full backup of the same folder ({@code resticNanos}, or 0) and with the size of
   * the logical full {@code logicalSize}.
   */
  BackupRecord snapshot(
      SqliteDatabase db,
      DumpCompression compression,
      String name,
      long resticNanos,
      long logicalSize)
      throws IOException {
    setup(db, backups, compression, "Snapshot");
    report.startPhase();
    long start = System.nanoTime();
    BackupRecord full = engine.run(db, new BackupRequest(true, false)).backup().orElseThrow();
    long nanos = System.nanoTime() - start;
    report.add(
        "snapshot full backup " + name,
        nanos,
        Files.size(db.file()) / MIB,
        full.size(),
        String.format(
            Locale.ROOT, "size / logical full = %.2f", (double) full.size() / logicalSize));
    if (resticNanos > 0) {
      report.target(
          String.format(
              Locale.ROOT,
              "snapshot full <= 0.5 x restic full (%s): %.2f -> %s",
              name,
              (double) nanos / resticNanos,
              nanos <= 0.5 * resticNanos ? "MET" : "MISSED"));
    }
    report.target(
        String.format(
            Locale.ROOT,
            "snapshot full size <= 1.3 x logical full (%s): %.2f -> %s",
            name,
            (double) full.size() / logicalSize,
            full.size() <= 1.3 * logicalSize ? "MET" : "MISSED"));
    return full;
  }

  /**
   * The scheduled run after {@code changed} documents changed: an incremental, compared with the
   * full backup that took {@code fullNanos}.
   */
  BackupRecord incremental(SqliteDatabase db, String name, int changed, long fullNanos)
      throws IOException {
    report.startPhase();
    long start = System.nanoTime();
    BackupOutcome outcome = engine.run(db, BackupRequest.SCHEDULED);
    long incNanos = System.nanoTime() - start;
    BackupRecord inc = outcome.backup().orElseThrow();
    if (inc.type() != BackupType.INCREMENTAL) {
      throw new IllegalStateException("expected an incremental, got " + inc);
    }
    report.add(
        "incremental " + name + " (" + changed + " changed)",
        incNanos,
        0,
        inc.size(),
        String.format(Locale.ROOT, "%.2f%% of the full's time", 100.0 * incNanos / fullNanos));
    report.target(
        String.format(
            Locale.ROOT,
            "incremental < 1 s and < 2%% of full (%s): %.3f s," + " %.2f%% -> %s",
            name,
            incNanos / 1e9,
            100.0 * incNanos / fullNanos,
            incNanos < 1e9 && incNanos < 0.02 * fullNanos ? "MET" : "MISSED"));
    return inc;
  }

  /** The codec on the uncompressed dump: file to file, same class and threads as a backup. */
  private long codecAlone(DumpCompression compression, String name) throws IOException {
    Path out = work.resolve("codec-alone.out");
    readFully(raw); // the page cache holds it for the timed read, as it holds SQLite's pages
    report.startPhase();
    long start = System.nanoTime();
    try (InputStream in = Files.newInputStream(raw);
        OutputStream compressed =
            compression.open(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
      in.transferTo(compressed);
    }
    long nanos = System.nanoTime() - start;
    report.add("codec alone " + name, nanos, rawBytes / MIB, Files.size(out), "");
    Files.delete(out);
    return nanos;
  }

  private static void setup(SqliteDatabase db, Path backups, DumpCompression compression)
      throws IOException {
    setup(db, backups, compression, "Backup");
  }

  private static void setup(
      SqliteDatabase db, Path backups, DumpCompression compression, String backupType)
      throws IOException {
    db.putSystemDocument(
        SystemDocuments.SETUP_KEY,
        "{\"LocalFolderName\":\""
            + backups.toAbsolutePath().toString().replace("\\", "\\\\")
            + "\",\"Compression\":\""
            + compression.codec().codecName()
            + "\",\"CompressionLevel\":"
            + compression.level()
            + ",\"BackupType\":\""
            + backupType
            + "\"}");
  }

  private static void decompress(Path file, Path raw) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        InputStream plain =
            file.toString().endsWith(".zst")
                ? new ZstdInputStream(in)
                : new GZIPInputStream(in, 1 << 16)) {
      Files.copy(plain, raw);
    }
  }

  private static void readFully(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
