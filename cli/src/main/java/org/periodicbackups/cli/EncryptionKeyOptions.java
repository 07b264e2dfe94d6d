package org.periodicbackups.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Option;

/**
 * The keys offered to read encrypted backup files: {@code --encryption-key-file} (repeatable; one
 * base64 key per line, blank lines and {@code #} comments ignored), {@code $PBK_ENCRYPTION_KEY}
 * (one or more keys separated by commas or spaces) and, for a restore into a database, that
 * database's secured setting. Never from the command line itself, which other users and shell
 * history can see. Each file picks the key its envelope names.
 */
final class EncryptionKeyOptions {
  /** The environment variable that may hold keys. */
  static final String ENV = "PBK_ENCRYPTION_KEY";

  /** Where environment variables are read; tests replace it. */
  static volatile UnaryOperator<String> environment = System::getenv;

  @Option(
      names = "--encryption-key-file",
      paramLabel = "<file>",
      description =
          "A file holding the key(s) of encrypted backups, one base64 key per line"
              + " (as 'pbk settings export-encryption-key' writes); repeatable. Keys also come from"
              + " $"
              + ENV
              + " and the target database's secured setting "
              + EncryptionKey.SETTING
              + ".")
  List<Path> files = new ArrayList<>();

  /** The keys from the files and the environment. */
  EncryptionKeys keys() throws IOException {
    List<EncryptionKey> keys = new ArrayList<>();
    for (Path file : files) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new ConfigurationException("encryption key file " + file + " does not exist");
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          keys.add(parse(line, "the file " + file + " (line " + (i + 1) + ")"));
        }
      }
      if (keys.isEmpty()) {
        throw new ConfigurationException("encryption key file " + file + " holds no key");
      }
    }
    String env = environment.apply(ENV);
    if (env != null && !env.isBlank()) {
      String[] values = env.strip().split("[,\\s]+");
      for (int i = 0; i < values.length; i++) {
        keys.add(parse(values[i], "$" + ENV + (values.length > 1 ? " (key " + (i + 1) + ")" : "")));
      }
    }
    return EncryptionKeys.of(keys);
  }

  /** The keys from the files and the environment, and {@code target}'s own key if it has one. */
  EncryptionKeys keys(SqliteDatabase target) throws IOException {
    return keys().and(ownKey(target));
  }

  /** {@code database}'s own key (its secured setting), if it has one. */
  static EncryptionKeys ownKey(SqliteDatabase database) throws IOException {
    try {
      return EncryptionKeys.ownKey(database);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }

  private static EncryptionKey parse(String text, String where) {
    try {
      return EncryptionKey.parse(text, where);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }
}
