package org.periodicbackups.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.periodicbackups.core.lease.LeaseDocument;

/**
 * The backup files in a local backup folder, in name order: not the lease objects ({@code
 * pbk-lease.json}) nor the folder's hidden lock file of conditional writes.
 */
final class BackupFiles {
  private BackupFiles() {}

  static List<Path> in(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).filter(BackupFiles::isBackupFile).sorted().toList();
    }
  }

  static boolean isBackupFile(Path file) {
    String name = file.getFileName().toString();
    return !name.startsWith(".") && !name.equals(LeaseDocument.FILE_NAME);
  }
}
