package org.periodicbackups.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pbk settings generate-encryption-key} and {@code export-encryption-key}: the key that
 * encrypts a database's backup files, kept as the secured setting {@value EncryptionKey#SETTING}.
 * Neither prints the key: the first prints its key id, the second writes it to a new file that only
 * its owner can read.
 */
final class EncryptionKeyCommands {
  private EncryptionKeyCommands() {}

  /** Stores a fresh random key; refuses to replace one unless asked to rotate. */
  @Command(
      name = "generate-encryption-key",
      description = {
        "Create a random 256-bit key that encrypts this database's backups from the next file on,",
        "stored as the secured setting " + EncryptionKey.SETTING + "; prints only its key id."
      })
  static final class Generate implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Option(
        names = "--rotate",
        description =
            "Replace the current key. Files already written"
                + " still need the old one: export it first.")
    boolean rotate;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace()) {
        SqliteDatabase db = workspace.database(database.name);
        Optional<String> old = db.setting(EncryptionKey.SETTING);
        String oldId = old.map(EncryptionKeyCommands::keyIdOf).orElse(null);
        if (old.isPresent() && !rotate) {
          throw new ConfigurationException(
              "database '"
                  + database.name
                  + "' already has an"
                  + " encryption key (key id "
                  + oldId
                  + "); pass --rotate to replace it, after"
                  + " exporting it with 'pbk settings export-encryption-key -d "
                  + database.name
                  + " -o <file>': the files written with it still need it");
        }
        EncryptionKey key = EncryptionKey.generate();
        db.putSecuredSetting(EncryptionKey.SETTING, key.toBase64());
        System.out.println(
            (oldId == null ? "generated" : "rotated: key id " + oldId + " replaced by a new")
                + " encryption key id "
                + key.keyId()
                + " for database '"
                + database.name
                + "' (secured setting "
                + EncryptionKey.SETTING
                + "); backup files"
                + " are encrypted with it from the next one on");
        System.out.println(
            "keep a copy apart from the backups, without it they cannot be"
                + " restored: pbk settings export-encryption-key -d "
                + database.name
                + " -o <file>");
        return 0;
      }
    }
  }

  /** Writes the key to a new owner-only file, for safekeeping and for restore elsewhere. */
  @Command(
      name = "export-encryption-key",
      description = {
        "Write this database's backup encryption key (base64, one line) to a new file readable",
        "only by its owner, to keep it safe or restore elsewhere with --encryption-key-file."
      })
  static final class Export implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Option(
        names = {"-o", "--output"},
        required = true,
        paramLabel = "<file>",
        description = "The file to create; an existing file is never overwritten.")
    Path output;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace()) {
        SqliteDatabase db = workspace.database(database.name);
        String stored =
            db.setting(EncryptionKey.SETTING)
                .orElseThrow(
                    () ->
                        new ConfigurationException(
                            "database '"
                                + database.name
                                + "' has no encryption key;"
                                + " create one with 'pbk settings generate-encryption-key -d "
                                + database.name
                                + "'"));
        EncryptionKey key = parse(stored, database.name);
        write(
            output,
            "# pbk backup encryption key of database '"
                + database.name
                + "', key id "
                + key.keyId()
                + "\n"
                + key.toBase64()
                + "\n");
        System.out.println(
            "wrote encryption key id "
                + key.keyId()
                + " of database '"
                + database.name
                + "' to "
                + output
                + " (readable only by its owner); keep it apart"
                + " from the backups");
        return 0;
      }
    }

    private static void write(Path file, String text) throws IOException {
      FileAttribute<?>[] ownerOnly =
          file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")
              ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
              }
              : new FileAttribute<?>[0];
      try (OutputStream out =
              Channels.newOutputStream(
                  Files.newByteChannel(
                      file,
                      java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                      ownerOnly));
          Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.US_ASCII)) {
        writer.write(text);
      } catch (FileAlreadyExistsException e) {
        throw new ConfigurationException(
            file
                + " exists already; choose a new file (an"
                + " existing file is never overwritten)");
      }
    }
  }

  private static String keyIdOf(String stored) {
    try {
      return EncryptionKey.parse(stored, "the secured setting").keyId();
    } catch (IllegalArgumentException e) {
      return "(not a valid key)";
    }
  }

  private static EncryptionKey parse(String stored, String database) {
    try {
      return EncryptionKey.parse(
          stored,
          "the secured setting " + EncryptionKey.SETTING + " of database '" + database + "'");
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }
}
