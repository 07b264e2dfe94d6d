package org.periodicbackups.destination.glacier;

import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a downloaded temporary file and deletes it on close. */
final class TempFileInputStream extends FilterInputStream {
  private final Path file;

  TempFileInputStream(Path file) throws IOException {
    super(Files.newInputStream(file));
    this.file = file;
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
