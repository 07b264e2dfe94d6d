package org.periodicbackups.core.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.source.ChangeSnapshot;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.DumpHeader;

/**
 * A one-off export of a whole database into one dump file ({@code smuggler out}): the same format
 * and the same consistent snapshot as a full backup, but written where the caller says, outside any
 * chain, and without touching the status document. {@code smuggler in} (without {@code
 * --incremental}) imports it.
 */
public final class FullExport {
  private FullExport() {}

  /**
   * Writes every non-system document and attachment of {@code source} to {@code file}, atomically
   * (a temporary file next to it, then a rename).
   *
   * @return the file's header (its {@code ToEtag} is the cut)
   */
  public static DumpHeader write(
      ChangeSource source, Path file, DumpCompression compression, Clock clock) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    ExportedFile exported;
    try (ChangeSnapshot snapshot = source.openSnapshot()) {
      exported =
          DumpExporter.export(
              snapshot,
              folder,
              source.databaseName(),
              BackupType.FULL,
              0L,
              clock.instant(),
              null,
              null,
              compression,
              null,
              null,
              bytes -> {});
    }
    try {
      Files.move(
          exported.path(),
          file,
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(exported.path());
    }
    return exported.header();
  }
}
