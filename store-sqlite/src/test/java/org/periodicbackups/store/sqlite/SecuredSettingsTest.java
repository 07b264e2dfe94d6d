package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuredSettingsTest {
  private static final String SECRET = "S3cr3t-AKIA-test-7f9c";
  private static final String SECRET_KEY = "Raven/AWSSecretKey";

  @TempDir Path dataDir;
  SqliteStore store;
  SqliteDatabase db;

  @BeforeEach
  void open() throws IOException {
    store = new SqliteStore(dataDir, Map.of());
    db = store.create("shop", Map.of("Raven/AWSAccessKey", "AKIA-test"));
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  private static String envKey(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return Base64.getEncoder().encodeToString(key);
  }

  @Test
  void settingReturnsTheDecryptedValueAndSettingsListsOnlyPlainOnes() throws IOException {
    db.putSecuredSetting(SECRET_KEY, SECRET);

    assertThat(db.setting(SECRET_KEY)).contains(SECRET);
    assertThat(db.settings()).containsExactly(Map.entry("Raven/AWSAccessKey", "AKIA-test"));
    assertThat(db.securedSettingNames()).containsExactly(SECRET_KEY);
    assertThat(db.isSecured(SECRET_KEY)).isTrue();
    assertThat(db.isSecured("Raven/AWSAccessKey")).isFalse();
    assertThat(db.lastEtag()).as("settings take no etag").isZero();
  }

  @Test
  void securedSettingsPersistAcrossReopen() throws IOException {
    db.putSecuredSetting(SECRET_KEY, SECRET);
    store.close();
    store = new SqliteStore(dataDir, Map.of());
    db = store.open("shop");
    assertThat(db.setting(SECRET_KEY)).contains(SECRET);
  }

  @Test
  void theSecretIsInNoneOfTheDatabaseFiles() throws IOException {
    db.putSecuredSetting(SECRET_KEY, SECRET);
    db.putSecuredSetting("Other/Password", SECRET + "-2");
    assertFilesDoNotContainSecret("while open");
    store.close();
    assertFilesDoNotContainSecret("after close (checkpointed)");
  }

  private void assertFilesDoNotContainSecret(String when) throws IOException {
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path file = dataDir.resolve("shop.db" + suffix);
      if (Files.exists(file)) {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(bytes)
            .as("%s %s", file, when)
            .doesNotContain(SECRET)
            .doesNotContain(
                new String(
                    SECRET.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(dataDir.resolve("shop.db")).exists();
  }

  @Test
  void removeSettingRemovesSecuredAndPlainSettings() throws IOException {
    db.putSecuredSetting(SECRET_KEY, SECRET);
    db.removeSetting(SECRET_KEY);
    db.removeSetting("Raven/AWSAccessKey");
    assertThat(db.setting(SECRET_KEY)).isEmpty();
    assertThat(db.securedSettingNames()).isEmpty();
    assertThat(db.settings()).isEmpty();
  }

  @Test
  void aSecuredSettingReplacesAPlainOneButNotTheOtherWayRound() throws IOException {
    db.putSecuredSetting("Raven/AWSAccessKey", "now-secured");
    assertThat(db.settings()).isEmpty();
    assertThat(db.setting("Raven/AWSAccessKey")).contains("now-secured");

    assertThatThrownBy(() -> db.putSetting("Raven/AWSAccessKey", "plain again"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setting 'Raven/AWSAccessKey' is secured")
        .hasMessageNotContaining("now-secured");
    assertThat(db.setting("Raven/AWSAccessKey")).contains("now-secured");
  }

  @Test
  void createTakesSecuredSettings() throws IOException {
    SqliteDatabase crm =
        store.create("crm", Map.of("Raven/AWSAccessKey", "AKIA-crm"), Map.of(SECRET_KEY, SECRET));
    assertThat(crm.setting(SECRET_KEY)).contains(SECRET);
    assertThat(crm.settings()).containsOnlyKeys("Raven/AWSAccessKey");
    assertThatThrownBy(() -> store.create("both", Map.of("X", "1"), Map.of("X", "2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'X' is given both plain and secured");
    assertThat(store.exists("both")).isFalse();
  }

  @Test
  void theEnvironmentKeyWorksAndAChangedKeyIsReportedNotGarbled() throws IOException {
    store.close();
    try (SqliteStore withEnv = new SqliteStore(dataDir, Map.of("PBK_MASTER_KEY", envKey(1)))) {
      withEnv.open("shop").putSecuredSetting(SECRET_KEY, SECRET);
      assertThat(withEnv.open("shop").setting(SECRET_KEY)).contains(SECRET);
    }
    assertThat(dataDir.resolve("master.key")).doesNotExist();
    store = new SqliteStore(dataDir, Map.of("PBK_MASTER_KEY", envKey(2)));
    db = store.open("shop");

    assertThatThrownBy(() -> db.setting(SECRET_KEY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("secured setting '" + SECRET_KEY + "'")
        .hasMessageContaining("wrong master key")
        .hasMessageNotContaining(SECRET);
    assertThat(db.setting("Raven/AWSAccessKey"))
        .as("plain settings need no key")
        .contains("AKIA-test");
  }

  @Test
  void aMissingKeyFileIsReportedAndNotReplacedByANewKey() throws IOException {
    db.putSecuredSetting(SECRET_KEY, SECRET);
    Files.delete(store.masterKeyFile());
    assertThat(db.setting(SECRET_KEY))
        .as("the key was loaded before the file was deleted")
        .contains(SECRET);
    store.close();
    store = new SqliteStore(dataDir, Map.of());
    db = store.open("shop");

    assertThatThrownBy(() -> db.setting(SECRET_KEY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("secured setting '" + SECRET_KEY + "'")
        .hasMessageContaining(store.masterKeyFile() + " is missing");
    assertThat(store.masterKeyFile()).doesNotExist();
  }

  @Test
  void tamperedCiphertextInTheFileIsDetected() throws Exception {
    db.putSecuredSetting(SECRET_KEY, SECRET);
    db.putSecuredSetting("Other/Password", "other-secret");
    byte[] sealed = rawSecured(SECRET_KEY);
    sealed[sealed.length - 1] ^= 0x01;
    writeRawSecured(SECRET_KEY, sealed);

    assertThatThrownBy(() -> db.setting(SECRET_KEY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("secured setting '" + SECRET_KEY + "'")
        .hasMessageContaining("altered");

    // Moving a valid value to another name does not work either: the name is authenticated.
    writeRawSecured(SECRET_KEY, rawSecured("Other/Password"));
    assertThatThrownBy(() -> db.setting(SECRET_KEY))
        .isInstanceOf(IOException.class)
        .hasMessageNotContaining("other-secret");
  }

  @Test
  void namesAndDescriptionsNeverShowValues() throws IOException {
    db.putSecuredSetting(SECRET_KEY, SECRET);
    assertThat(db.toString()).doesNotContain(SECRET);
    assertThat(store.toString()).doesNotContain(SECRET);
    assertThat(db.securedSettingNames().toString()).isEqualTo("[" + SECRET_KEY + "]");
    assertThatThrownBy(() -> db.putSecuredSetting(" ", SECRET)).hasMessageNotContaining(SECRET);
  }

  private Connection rawConnection() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + db.file().toAbsolutePath());
  }

  private byte[] rawSecured(String name) throws SQLException {
    try (Connection connection = rawConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT value FROM secured_settings WHERE name = ?")) {
      select.setString(1, name);
      try (var rows = select.executeQuery()) {
        rows.next();
        return rows.getBytes(1);
      }
    }
  }

  private void writeRawSecured(String name, byte[] value) throws SQLException {
    try (Connection connection = rawConnection();
        PreparedStatement update =
            connection.prepareStatement("UPDATE secured_settings SET value = ? WHERE name = ?")) {
      update.setBytes(1, value);
      update.setString(2, name);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}
