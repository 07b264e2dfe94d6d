package org.periodicbackups.cli;

import java.nio.file.Path;

/**
 * Options every command understands, set by {@link PbkCommand} wherever they appear on the command
 * line. Static because picocli's inherited options write to the top-level command.
 */
final class GlobalOptions {
  static Path dataDir = Path.of("pbk-data");
  static Path pluginsDir;
  static boolean verbose;

  private GlobalOptions() {}

  static void reset() {
    dataDir = Path.of(System.getenv().getOrDefault("PBK_DATA_DIR", "pbk-data"));
    pluginsDir = null;
    verbose = false;
  }

  /** The plugins folder: {@code --plugins}, else {@code <data-dir>/plugins}. */
  static Path plugins() {
    return pluginsDir != null ? pluginsDir : dataDir.resolve("plugins");
  }
}
