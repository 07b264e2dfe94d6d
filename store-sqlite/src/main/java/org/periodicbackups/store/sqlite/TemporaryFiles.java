package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files the store writes next to a database before they are complete: an image being copied ({@code
 * .<name>.db.image-<pid>-<n>}) and a database being restored ({@code
 * .<name>.db.staging-<pid>-<n>}), each with the {@code -journal}, {@code -wal} and {@code -shm}
 * files SQLite adds. Their names do not end in {@code .db}, so {@link SqliteStore#list()} never
 * shows them; the pid in the name lets a later process remove what a killed one left behind.
 */
final class TemporaryFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

  /** An image copy, removed as soon as it is streamed. */
  static final String IMAGE = "image";

  /** A database being restored, renamed to its real name on commit. */
  static final String STAGING = "staging";

  private static final List<String> COMPANIONS = List.of("-journal", "-wal", "-shm");
  private static final Pattern NAME =
      Pattern.compile(
          "\\..+\\.db\\.(?:image|staging)-(\\d{1,19})-\\d{1,19}(?:-journal|-wal|-shm)?");
  private static final long PID = ProcessHandle.current().pid();
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private TemporaryFiles() {}

  /** A new name of {@code kind} beside {@code databaseFile}; the file is not created. */
  static Path next(Path databaseFile, String kind) {
    return databaseFile.resolveSibling(
        "."
            + databaseFile.getFileName()
            + "."
            + kind
            + "-"
            + PID
            + "-"
            + SEQUENCE.incrementAndGet());
  }

  /**
   * Removes the temporary files in {@code folder} whose process is gone. Files of this process and
   * of live processes stay; a file that cannot be removed is logged and left.
   */
  static void removeLeftovers(Path folder) throws IOException {
    List<Path> leftovers = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      files.filter(TemporaryFiles::isLeftover).forEach(leftovers::add);
    }
    for (Path leftover : leftovers) {
      try {
        Files.deleteIfExists(leftover);
        LOG.info("removed {}, left by a process that is gone", leftover);
      } catch (IOException e) {
        LOG.warn("cannot remove {}, left by a process that is gone: {}", leftover, e.toString());
      }
    }
  }

  private static boolean isLeftover(Path file) {
    Matcher name = NAME.matcher(file.getFileName().toString());
    if (!name.matches()) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(name.group(1));
    } catch (NumberFormatException e) {
      return true; // no process has such a pid
    }
    return pid != PID && ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
  }

  /** Deletes {@code file} and its SQLite companions, if they exist. */
  static void delete(Path file) throws IOException {
    for (String companion : COMPANIONS) {
      Files.deleteIfExists(Path.of(file + companion));
    }
    Files.deleteIfExists(file);
  }

  /** Writes {@code file}'s content to disk. */
  static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Writes {@code folder}'s entries to disk, where the system allows it. */
  static void forceFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some systems (Windows, some network file systems) cannot open or force a folder; the file
      // itself is on disk, only its new name might be lost in a crash.
    }
  }
}
