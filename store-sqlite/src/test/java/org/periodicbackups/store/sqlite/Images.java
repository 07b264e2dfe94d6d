package org.periodicbackups.store.sqlite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.periodicbackups.api.source.ChangeSnapshot;

/** Images of test databases and the files of a folder. */
final class Images {
  private Images() {}

  /** The image of a fresh snapshot of {@code database}, in memory (small databases only). */
  static byte[] of(SqliteDatabase database) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ChangeSnapshot snapshot = database.openSnapshot()) {
      snapshot.image().orElseThrow().writeTo(out);
    }
    return out.toByteArray();
  }

  /** Writes the image of a fresh snapshot of {@code database} to {@code file}. */
  static Path toFile(SqliteDatabase database, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (ChangeSnapshot snapshot = database.openSnapshot();
        OutputStream out = Files.newOutputStream(file)) {
      snapshot.image().orElseThrow().writeTo(out);
    }
    return file;
  }

  /** The names of the files in {@code folder}, sorted. */
  static List<String> filesIn(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }
}
