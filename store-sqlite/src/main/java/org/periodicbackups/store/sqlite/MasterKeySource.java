package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the master key of a data folder comes from, loaded once on first need.
 *
 * <p>In order: the environment variable {@value #ENVIRONMENT_VARIABLE} (32 bytes, base64), else the
 * key file {@code <dataDir>/}{@value #FILE_NAME} (the same base64 text). The key file is created
 * only when a secured setting is written and none exists; it is written under a temporary name
 * created with owner-only permissions and then linked into place, so it is never readable by others
 * and never half-written. A key file with broader permissions or the wrong length is refused. On
 * file systems without POSIX permissions (Windows) the file is created with the folder's default
 * ACL and its permissions are not checked; a warning says so.
 *
 * <p>Thread-safe.
 */
final class MasterKeySource {
  /** The environment variable holding the master key (base64 of 32 bytes). */
  static final String ENVIRONMENT_VARIABLE = "PBK_MASTER_KEY";

  /** The key file's name in the data folder. */
  static final String FILE_NAME = "master.key";

  private static final Logger LOG = LoggerFactory.getLogger(MasterKeySource.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final Path keyFile;
  private final Map<String, String> environment;
  private SecretBox box;

  /** The key source of {@code dataDir}, reading variables from {@code environment}. */
  MasterKeySource(Path dataDir, Map<String, String> environment) {
    this.keyFile = requireNonNull(dataDir, "dataDir is null").resolve(FILE_NAME);
    this.environment = requireNonNull(environment, "environment is null");
  }

  /** The key file path (whether or not it exists). */
  Path keyFile() {
    return keyFile;
  }

  /** The box to encrypt with, creating the key file if there is no key yet. */
  synchronized SecretBox forWriting() throws IOException {
    return load(true);
  }

  /**
   * The box to decrypt {@code settingName} with.
   *
   * @throws IOException if there is no key: a new one could never open existing values
   */
  synchronized SecretBox forReading(String settingName) throws IOException {
    if (box == null && environment.get(ENVIRONMENT_VARIABLE) == null && !Files.exists(keyFile)) {
      throw new NoSuchFileException(
          keyFile.toString(),
          null,
          "secured setting '"
              + settingName
              + "' cannot be read: the master key file "
              + keyFile
              + " is missing and "
              + ENVIRONMENT_VARIABLE
              + " is not set; restore the key file from your backup of it");
    }
    return load(false);
  }

  private SecretBox load(boolean create) throws IOException {
    if (box != null) {
      return box;
    }
    String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null) {
      box =
          new SecretBox(
              decode(
                  fromEnvironment,
                  "environment variable " + ENVIRONMENT_VARIABLE,
                  "set it to the base64 of 32 random bytes, e.g. $(openssl rand -base64 32)"));
    } else {
      if (create && !Files.exists(keyFile)) {
        createKeyFile();
      }
      box = new SecretBox(readKeyFile());
    }
    return box;
  }

  private byte[] readKeyFile() throws IOException {
    if (isPosix()) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
      if (!OWNER_ONLY.containsAll(permissions)) {
        throw new IOException(
            "master key file "
                + keyFile
                + " has permissions "
                + PosixFilePermissions.toString(permissions)
                + "; it must be readable by its owner"
                + " only: run chmod 600 "
                + keyFile
                + " (and consider the key leaked if others could"
                + " read it)");
      }
    }
    String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
    return decode(
        text,
        "master key file " + keyFile,
        "restore the file from your backup of it, or set " + ENVIRONMENT_VARIABLE);
  }

  /** Decodes base64 text of exactly 32 bytes; messages never include the text. */
  private static byte[] decode(String text, String where, String fix) throws IOException {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(where + " is not valid base64; " + fix);
    }
    if (key.length != SecretBox.KEY_BYTES) {
      int length = key.length;
      Arrays.fill(key, (byte) 0);
      throw new IOException(
          where + " holds " + length + " bytes, not " + SecretBox.KEY_BYTES + "; " + fix);
    }
    return key;
  }

  private void createKeyFile() throws IOException {
    byte[] key = new byte[SecretBox.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    byte[] text =
        (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(key, (byte) 0);
    boolean posix = isPosix();
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    if (!posix) {
      LOG.warn(
          "{}: this file system has no POSIX permissions; the master key file relies on the"
              + " data folder's access control list to stay private",
          keyFile);
    }
    // Created with owner-only permissions from the start (umask can only remove bits).
    Path temporary = Files.createTempFile(keyFile.getParent(), FILE_NAME, ".tmp", attributes);
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(text));
        channel.force(true);
      }
      publish(temporary);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Puts the complete file in place unless another process got there first (then theirs wins). */
  private void publish(Path temporary) throws IOException {
    try {
      // A hard link never replaces an existing file, unlike rename.
      Files.createLink(keyFile, temporary);
      LOG.info(
          "created master key file {}; back it up: without it secured settings cannot be" + " read",
          keyFile);
    } catch (FileAlreadyExistsException raced) {
      LOG.debug("master key file {} was created concurrently; using it", keyFile);
    } catch (UnsupportedOperationException noLinks) {
      try {
        Files.move(temporary, keyFile);
      } catch (FileAlreadyExistsException raced) {
        LOG.debug("master key file {} was created concurrently; using it", keyFile);
      }
    }
  }

  private boolean isPosix() {
    return keyFile.getParent().getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  @Override
  public String toString() {
    return "MasterKeySource[" + ENVIRONMENT_VARIABLE + " or " + keyFile + "]";
  }
}
