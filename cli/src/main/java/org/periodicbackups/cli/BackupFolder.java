package org.periodicbackups.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A local backup folder as a user names it: either the destination root ({@code LocalFolderName},
 * holding one folder per database) or one database's folder inside it (holding chain folders).
 *
 * @param root the folder to open as a destination
 * @param prefix the names to consider under it ({@code ""} for all)
 * @param database the source database, when known
 */
record BackupFolder(Path root, String prefix, String database) {
  private static final Pattern CHAIN_FOLDER = Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}Z");

  static BackupFolder of(Path folder, String database) throws IOException {
    Path absolute = folder.toAbsolutePath().normalize();
    if (holdsChains(absolute) && absolute.getParent() != null) {
      String name = absolute.getFileName().toString();
      return new BackupFolder(absolute.getParent(), name + "/", database != null ? database : name);
    }
    return new BackupFolder(absolute, database != null ? database + "/" : "", database);
  }

  private static boolean holdsChains(Path folder) throws IOException {
    try (Stream<Path> children = Files.list(folder)) {
      return children.anyMatch(
          child ->
              Files.isDirectory(child)
                  && CHAIN_FOLDER.matcher(child.getFileName().toString()).matches());
    }
  }
}
