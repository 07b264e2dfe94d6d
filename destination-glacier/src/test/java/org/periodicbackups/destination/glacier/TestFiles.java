package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;

/** Deterministic test data: byte i of a file is {@code (i * 31 + seed) % 251}. */
final class TestFiles {
  static final long MIB = 1024 * 1024;
  static final UploadMetadata METADATA =
      new UploadMetadata("shop", BackupType.INCREMENTAL, 10, 20, "ab".repeat(32));

  private TestFiles() {}

  static byte[] pattern(int length, int seed) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) ((i * 31L + seed) % 251);
    }
    return data;
  }

  static Path write(Path folder, String name, byte[] data) throws IOException {
    return Files.write(folder.resolve(name), data);
  }
}
