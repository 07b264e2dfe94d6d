package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeySourceTest {
  private static final String NAME = "Raven/AWSSecretKey";
  private static final String SECRET = "S3cr3t-AKIA-test-7f9c";

  /** Base64 of 32 bytes 0x07: a fixed key that no test needs to keep secret. */
  private static final String ENV_KEY = Base64.getEncoder().encodeToString(filled(7, 32));

  @TempDir Path dataDir;

  private static byte[] filled(int value, int length) {
    byte[] bytes = new byte[length];
    java.util.Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private MasterKeySource fromFile() {
    return new MasterKeySource(dataDir, Map.of());
  }

  private void assumePosix() throws IOException {
    assumeThat(Files.getFileStore(dataDir).supportsFileAttributeView("posix"))
        .as("the temporary folder's file system has POSIX permissions")
        .isTrue();
  }

  @Test
  void createsTheKeyFileOwnerOnlyOnFirstWrite() throws Exception {
    assumePosix();
    Path keyFile = dataDir.resolve("master.key");
    MasterKeySource source = fromFile();
    assertThat(keyFile).doesNotExist();

    byte[] sealed = source.forWriting().seal(NAME, SECRET);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(Base64.getDecoder().decode(Files.readString(keyFile).strip())).hasSize(32);
    assertThat(fromFile().forReading(NAME).open(NAME, sealed))
        .as("a later process reads the same key")
        .isEqualTo(SECRET);
    try (var files = Files.list(dataDir)) {
      assertThat(files).as("no temporary file left").containsExactly(keyFile);
    }
  }

  @Test
  void readingWithoutAnyKeyFailsNamingTheFileAndCreatesNothing() {
    assertThatThrownBy(() -> fromFile().forReading(NAME))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("'" + NAME + "'")
        .hasMessageContaining(dataDir.resolve("master.key").toString())
        .hasMessageContaining("PBK_MASTER_KEY");
    assertThat(dataDir.resolve("master.key")).doesNotExist();
  }

  @Test
  void refusesAKeyFileOthersCanRead() throws Exception {
    assumePosix();
    fromFile().forWriting();
    Path keyFile = dataDir.resolve("master.key");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> fromFile().forReading(NAME))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(keyFile.toString())
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void acceptsAReadOnlyOwnerKeyFile() throws Exception {
    assumePosix();
    byte[] sealed = fromFile().forWriting().seal(NAME, SECRET);
    Files.setPosixFilePermissions(
        dataDir.resolve("master.key"), PosixFilePermissions.fromString("r--------"));
    assertThat(fromFile().forReading(NAME).open(NAME, sealed)).isEqualTo(SECRET);
  }

  @Test
  void refusesAKeyFileOfTheWrongLength() throws Exception {
    Path keyFile = dataDir.resolve("master.key");
    Files.writeString(keyFile, Base64.getEncoder().encodeToString(filled(1, 16)));
    if (Files.getFileStore(dataDir).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    }
    assertThatThrownBy(() -> fromFile().forWriting())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("master key file " + keyFile)
        .hasMessageContaining("16 bytes, not 32");
    Files.writeString(keyFile, "not base64!");
    assertThatThrownBy(() -> fromFile().forReading(NAME))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("master key file " + keyFile)
        .hasMessageContaining("not valid base64")
        .hasMessageNotContaining("not base64!");
  }

  @Test
  void theEnvironmentVariableWinsAndNoKeyFileIsCreated() throws Exception {
    MasterKeySource source = new MasterKeySource(dataDir, Map.of("PBK_MASTER_KEY", ENV_KEY));
    byte[] sealed = source.forWriting().seal(NAME, SECRET);

    assertThat(dataDir.resolve("master.key")).doesNotExist();
    assertThat(new SecretBox(filled(7, 32)).open(NAME, sealed)).isEqualTo(SECRET);
    assertThat(
            new MasterKeySource(dataDir, Map.of("PBK_MASTER_KEY", ENV_KEY))
                .forReading(NAME)
                .open(NAME, sealed))
        .isEqualTo(SECRET);
  }

  @Test
  void refusesAnEnvironmentVariableOfTheWrongLengthWithoutEchoingIt() {
    String shortKey = Base64.getEncoder().encodeToString(filled(3, 31));
    assertThatThrownBy(
            () -> new MasterKeySource(dataDir, Map.of("PBK_MASTER_KEY", shortKey)).forWriting())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("environment variable PBK_MASTER_KEY holds 31 bytes, not 32")
        .hasMessageNotContaining(shortKey);
  }

  @Test
  void toStringShowsWhereTheKeyComesFromNotTheKey() throws Exception {
    MasterKeySource source = new MasterKeySource(dataDir, Map.of("PBK_MASTER_KEY", ENV_KEY));
    source.forWriting();
    assertThat(source.toString()).contains("PBK_MASTER_KEY").doesNotContain(ENV_KEY);
  }
}
