package org.periodicbackups.bench;

import static org.periodicbackups.bench.E2EReport.MIB;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * restic, an external tool, on the same database folder, for comparison; repository sizes are
 * measured on disk.
 */
final class ResticPhase {
  private final Path repo;
  private final E2EReport report;

  private ResticPhase(Path repo, E2EReport report) {
    this.repo = repo;
    this.report = report;
  }

  /** A new repository at {@code repo}, or null (said on the output) if restic is not there. */
  static ResticPhase onPath(Path repo, E2EReport report) throws IOException, InterruptedException {
    ResticPhase restic = new ResticPhase(repo, report);
    if (restic.exec("init") != 0) {
      System.out.println("restic not available; skipped");
      return null;
    }
    return restic;
  }

  /** Backs {@code folder} up into the repository, as the row {@code phase}; its nanos. */
  long backup(String phase, Path folder) throws IOException, InterruptedException {
    long before = folderSize(repo);
    report.startPhase();
    long start = System.nanoTime();
    int rc = exec("backup", "--quiet", folder.toAbsolutePath().toString());
    long nanos = System.nanoTime() - start;
    if (rc != 0) {
      throw new IOException("restic backup failed with exit code " + rc);
    }
    report.add(
        phase + " (database folder)",
        nanos,
        folderSize(folder) / MIB,
        folderSize(repo) - before,
        String.format(Locale.ROOT, "repository now %.1f MiB", folderSize(repo) / MIB));
    return nanos;
  }

  /** Restores the latest snapshot into {@code target}, as the row {@code phase}; its nanos. */
  long restore(String phase, Path target) throws IOException, InterruptedException {
    report.startPhase();
    long start = System.nanoTime();
    int rc = exec("restore", "latest", "--quiet", "--target", target.toAbsolutePath().toString());
    long nanos = System.nanoTime() - start;
    if (rc != 0) {
      throw new IOException("restic restore failed with exit code " + rc);
    }
    report.add(phase + " (database folder)", nanos, folderSize(target) / MIB, 0, "");
    return nanos;
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

  private static long folderSize(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return 0;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      return paths
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
