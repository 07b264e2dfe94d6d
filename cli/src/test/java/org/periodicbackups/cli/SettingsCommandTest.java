package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.store.sqlite.SqliteStore;

class SettingsCommandTest {
  private static final String SECRET = "S3cr3t-AKIA-test-7f9c";

  @TempDir Path temp;
  Path data;

  @BeforeEach
  void setUp() {
    data = temp.resolve("data");
  }

  private Run pbk(String... args) {
    return pbkWithInput("", args);
  }

  /** Runs pbk with {@code input} as standard input (not a terminal, as when piped). */
  private Run pbkWithInput(String input, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--data-dir";
    all[1] = data.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Pbk.runWithInput(input, all);
  }

  private Run ok(Run run) {
    assertThat(run.exitCode()).as("out: %s%nerr: %s", run.out(), run.err()).isZero();
    return run;
  }

  private static void assertNoSecret(Run run) {
    assertThat(run.out()).doesNotContain(SECRET);
    assertThat(run.err()).doesNotContain(SECRET);
  }

  private String settingAsTheEngineSeesIt(String name) throws IOException {
    try (SqliteStore store = new SqliteStore(data)) {
      return store.open("shop").setting(name).orElse(null);
    }
  }

  @Test
  void setSecuredReadsTheFirstLineOfStandardInputAndListHidesIt() throws IOException {
    ok(pbk("create-database", "shop", "--setting", "Raven/AWSAccessKey=AKIA-test"));

    Run set =
        ok(
            pbkWithInput(
                SECRET + "\nsecond line ignored\n",
                "settings",
                "set-secured",
                "-d",
                "shop",
                "Raven/AWSSecretKey"));
    Run list = ok(pbk("settings", "list", "-d", "shop"));

    assertNoSecret(set);
    assertNoSecret(list);
    assertThat(set.out())
        .contains("set secured setting 'Raven/AWSSecretKey'")
        .contains("master.key");
    assertThat(list.out())
        .isEqualToNormalizingNewlines(
            "Raven/AWSAccessKey = AKIA-test\nRaven/AWSSecretKey = (secured)\n");
    assertThat(settingAsTheEngineSeesIt("Raven/AWSSecretKey")).isEqualTo(SECRET);
  }

  @Test
  void theMasterKeyFileIsCreatedOwnerOnly() throws IOException {
    ok(pbk("create-database", "shop"));
    ok(pbkWithInput(SECRET + "\r\n", "settings", "set-secured", "-d", "shop", "Smtp/Password"));

    assertThat(settingAsTheEngineSeesIt("Smtp/Password")).isEqualTo(SECRET);
    Path keyFile = data.resolve("master.key");
    if (Files.getFileStore(data).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void setSetsAndRemoveRemovesPlainAndSecuredSettings() throws IOException {
    ok(pbk("create-database", "shop"));
    ok(pbk("settings", "set", "-d", "shop", "Raven/ActiveBundles", "PeriodicBackups"));
    ok(pbkWithInput(SECRET, "settings", "set-secured", "-d", "shop", "Raven/AWSSecretKey"));

    Run removed = ok(pbk("settings", "remove", "-d", "shop", "Raven/AWSSecretKey"));
    Run absent = ok(pbk("settings", "remove", "-d", "shop", "Raven/AWSSecretKey"));

    assertThat(removed.out()).contains("removed setting 'Raven/AWSSecretKey'");
    assertThat(absent.out()).contains("was not set");
    assertThat(ok(pbk("settings", "list", "-d", "shop")).out())
        .isEqualToNormalizingNewlines("Raven/ActiveBundles = PeriodicBackups\n");
    ok(pbk("settings", "remove", "-d", "shop", "Raven/ActiveBundles"));
    assertThat(ok(pbk("settings", "list", "-d", "shop")).out()).contains("(no settings)");
  }

  @Test
  void setRefusesCredentialsAndPointsToSetSecured() throws IOException {
    ok(pbk("create-database", "shop"));
    String[] credentials = {"Raven/AWSSecretKey", "Smtp/Password", "Backup/EncryptionKey"};
    for (String name : credentials) {
      Run run = pbk("settings", "set", "-d", "shop", name, SECRET);

      assertThat(run.exitCode()).as(name).isEqualTo(2);
      assertThat(run.err())
          .contains("setting '" + name + "' holds a credential")
          .contains("pbk settings set-secured");
      assertNoSecret(run);
    }
    try (SqliteStore store = new SqliteStore(data)) {
      assertThat(store.open("shop").settings()).isEmpty();
    }
  }

  @Test
  void createDatabaseRefusesCredentialSettingsAndCreatesNothing() throws IOException {
    Run run = pbk("create-database", "shop", "--setting", "Raven/AWSSecretKey=" + SECRET);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("'Raven/AWSSecretKey' holds a credential")
        .contains("set-secured");
    assertNoSecret(run);
    try (SqliteStore store = new SqliteStore(data)) {
      assertThat(store.exists("shop")).isFalse();
    }
  }

  @Test
  void setSecuredRefusesEmptyInputWithoutTouchingTheSetting() throws IOException {
    ok(pbk("create-database", "shop"));
    Run empty = pbkWithInput("", "settings", "set-secured", "-d", "shop", "Raven/AWSSecretKey");
    Run blankLine =
        pbkWithInput("\n", "settings", "set-secured", "-d", "shop", "Raven/AWSSecretKey");

    assertThat(empty.exitCode()).isEqualTo(1);
    assertThat(empty.err()).contains("no value on standard input").contains("'Raven/AWSSecretKey'");
    assertThat(blankLine.exitCode()).isEqualTo(1);
    assertThat(blankLine.err()).contains("is empty");
    assertThat(settingAsTheEngineSeesIt("Raven/AWSSecretKey")).isNull();
  }

  @Test
  void setSecuredTakesNoValueOnTheCommandLine() throws IOException {
    ok(pbk("create-database", "shop"));
    Run run =
        pbkWithInput("", "settings", "set-secured", "-d", "shop", "Raven/AWSSecretKey", SECRET);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(settingAsTheEngineSeesIt("Raven/AWSSecretKey")).isNull();
  }

  @Test
  void aWrongMasterKeyIsReportedWithoutTheSecret() throws IOException {
    ok(pbk("create-database", "shop"));
    ok(pbkWithInput(SECRET, "settings", "set-secured", "-d", "shop", "Raven/AWSSecretKey"));
    // Replace the key file with another valid key, as if the wrong backup had been restored.
    Path keyFile = data.resolve("master.key");
    Files.writeString(keyFile, Base64.getEncoder().encodeToString(new byte[32]) + "\n");

    try (SqliteStore store = new SqliteStore(data)) {
      assertThatThrownBy(() -> store.open("shop").setting("Raven/AWSSecretKey"))
          .hasMessageContaining("secured setting 'Raven/AWSSecretKey'")
          .hasMessageContaining("wrong master key")
          .hasMessageNotContaining(SECRET);
    }
    Run list = ok(pbk("settings", "list", "-d", "shop"));
    assertThat(list.out()).as("listing needs no key").contains("Raven/AWSSecretKey = (secured)");
  }
}
