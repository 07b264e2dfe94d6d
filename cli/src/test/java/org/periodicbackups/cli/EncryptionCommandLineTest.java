package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteStore;

/** Encrypted backups through {@code pbk}: key commands, backup, verify, restore, hygiene. */
class EncryptionCommandLineTest {
  private static final Pattern KEY_ID = Pattern.compile("encryption key id ([0-9a-f]{16})");

  @TempDir Path temp;
  String data;
  Path backups;

  /** Everything pbk printed in this test, searched for the key at the end of some tests. */
  final StringBuilder printed = new StringBuilder();

  @BeforeEach
  void setUp() {
    data = temp.resolve("data").toString();
    backups = temp.resolve("backups");
  }

  @AfterEach
  void restoreEnvironment() {
    EncryptionKeyOptions.environment = System::getenv;
  }

  @Test
  void encryptedChainIsVerifiedAndRestoredOnAFreshMachineWithTheExportedKey() throws IOException {
    ok("create-database", "shop");
    String keyId = keyId(ok("settings", "generate-encryption-key", "-d", "shop"));
    assertThat(ok("settings", "list", "-d", "shop").out())
        .contains(EncryptionKey.SETTING + " = (secured)");
    ok("setup", "-d", "shop", "--local-folder", backups.toString());
    assertThat(ok("status", "-d", "shop").out())
        .contains("encryption: on: new backup files are encrypted with key id " + keyId);
    ok("put", "-d", "shop", "users/1", "--body", "{\"Name\":\"Ann\"}");
    ok("backup", "-d", "shop");
    ok("put", "-d", "shop", "users/2", "--body", "{\"Name\":\"Bob\"}");
    ok("delete", "-d", "shop", "users/1");
    ok("backup", "-d", "shop");
    List<Path> files = backupFiles();
    assertThat(files).hasSize(2).allMatch(f -> f.toString().endsWith(".json.gz.enc"));
    Path exported = temp.resolve("shop.key");
    ok("settings", "export-encryption-key", "-d", "shop", "-o", exported.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exported)))
        .isEqualTo("rw-------");

    // Without the key: refused, naming the file, its key id and how to supply the key.
    Run noKey = pbk("verify", backups.toString());
    assertThat(noKey.exitCode()).isEqualTo(1);
    assertThat(noKey.out())
        .contains("BROKEN")
        .contains(files.get(0).getFileName().toString())
        .contains("key id " + keyId)
        .contains("--encryption-key-file");
    String fresh = temp.resolve("fresh").toString();
    Run restoreNoKey =
        Pbk.run("smuggler", "in", fresh, backups.toString(), "--database=shop", "--incremental");
    printed.append(restoreNoKey.out()).append(restoreNoKey.err());
    assertThat(restoreNoKey.exitCode()).isEqualTo(1);
    assertThat(restoreNoKey.err())
        .contains(files.get(0).getFileName().toString())
        .contains(keyId)
        .contains("PBK_ENCRYPTION_KEY");
    assertThat(contents(fresh).documents()).isEmpty();

    // With the exported key, on a "fresh machine": verified and restored.
    assertThat(ok("verify", backups.toString(), "--encryption-key-file", exported.toString()).out())
        .contains("OK")
        .contains("2 file(s)");
    ok(
        "smuggler",
        "in",
        fresh,
        backups.toString(),
        "--database=shop2",
        "--incremental",
        "--encryption-key-file",
        exported.toString());
    assertThat(contents(fresh, "shop2").differenceFrom(contents(data))).isNull();
    assertThat(contents(fresh, "shop2").documents()).containsOnlyKeys("users/2");

    assertKeyNowhere(keyOf(exported));
  }

  @Test
  void wrongKeyRotationAndKeysFromTheEnvironment() throws IOException {
    ok("create-database", "shop");
    ok("settings", "generate-encryption-key", "-d", "shop");
    ok("setup", "-d", "shop", "--local-folder", backups.toString());
    ok("put", "-d", "shop", "users/1", "--body", "{}");
    ok("backup", "-d", "shop");
    Path first = temp.resolve("first.key");
    ok("settings", "export-encryption-key", "-d", "shop", "-o", first.toString());
    Run refused = pbk("settings", "generate-encryption-key", "-d", "shop");
    assertThat(refused.exitCode()).isEqualTo(3);
    assertThat(refused.err()).contains("--rotate").contains("export-encryption-key");
    String secondId = keyId(ok("settings", "generate-encryption-key", "-d", "shop", "--rotate"));
    ok("put", "-d", "shop", "users/2", "--body", "{}");
    ok("backup", "-d", "shop");
    Path second = temp.resolve("second.key");
    ok("settings", "export-encryption-key", "-d", "shop", "-o", second.toString());
    String firstId = EncryptionKey.parse(keyOf(first), "test").keyId();

    Run wrong = Pbk.run("verify", backups.toString(), "--encryption-key-file", second.toString());
    printed.append(wrong.out()).append(wrong.err());
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.out())
        .contains(
            "was encrypted with key id " + firstId + "; the keys offered have ids " + secondId);

    // Both keys: one from a file, one from $PBK_ENCRYPTION_KEY.
    String firstKey = keyOf(first);
    EncryptionKeyOptions.environment =
        name -> name.equals(EncryptionKeyOptions.ENV) ? firstKey : null;
    ok("verify", backups.toString(), "--encryption-key-file", second.toString());
    String fresh = temp.resolve("fresh").toString();
    ok(
        "smuggler",
        "in",
        fresh,
        backups.toString(),
        "--database=shop",
        "--incremental",
        "--encryption-key-file",
        second.toString());
    assertThat(contents(fresh).differenceFrom(contents(data))).isNull();

    Run exists = pbk("settings", "export-encryption-key", "-d", "shop", "-o", second.toString());
    assertThat(exists.exitCode()).isEqualTo(3);
    assertThat(exists.err()).contains("never overwritten");
    assertKeyNowhere(keyOf(first));
    assertKeyNowhere(keyOf(second));
  }

  @Test
  void tamperedOrTruncatedEncryptedFileIsRefusedBeforeAnythingIsWritten() throws IOException {
    ok("create-database", "shop");
    ok("settings", "generate-encryption-key", "-d", "shop");
    ok("setup", "-d", "shop", "--local-folder", backups.toString());
    ok("put", "-d", "shop", "users/1", "--body", "{}");
    ok("backup", "-d", "shop");
    ok("put", "-d", "shop", "users/2", "--body", "{}");
    ok("backup", "-d", "shop");
    Path key = temp.resolve("k");
    ok("settings", "export-encryption-key", "-d", "shop", "-o", key.toString());
    Path last = backupFiles().get(1);
    byte[] original = Files.readAllBytes(last);

    for (byte[] damaged :
        List.of(
            flip(original, original.length / 2),
            java.util.Arrays.copyOf(original, original.length - 5),
            java.util.Arrays.copyOf(original, original.length + 3))) {
      Files.write(last, damaged);
      Run verify = pbk("verify", backups.toString(), "--encryption-key-file", key.toString());
      assertThat(verify.exitCode()).isEqualTo(1);
      assertThat(verify.out())
          .contains("BROKEN")
          .contains(last.getFileName().toString())
          .contains("tampered");
      String fresh = temp.resolve("fresh-" + damaged.length).toString();
      Run restore =
          Pbk.run(
              "smuggler",
              "in",
              fresh,
              backups.toString(),
              "--database=shop",
              "--incremental",
              "--encryption-key-file",
              key.toString());
      assertThat(restore.exitCode()).isEqualTo(1);
      assertThat(restore.err()).contains(last.getFileName().toString()).contains("tampered");
      assertThat(contents(fresh).documents()).as("nothing applied").isEmpty();
    }
  }

  @Test
  void keysInAWrongFormatAreRefusedWithoutBeingPrinted() throws IOException {
    ok("create-database", "shop");
    ok("setup", "-d", "shop", "--local-folder", backups.toString());
    ok("put", "-d", "shop", "users/1", "--body", "{}");
    ok("backup", "-d", "shop");
    String notAKey = "c2VjcmV0LXRleHQ-not-base64!";
    Path file = Files.writeString(temp.resolve("bad.key"), "# comment\n\n" + notAKey + "\n");

    Run verify = pbk("verify", backups.toString(), "--encryption-key-file", file.toString());
    assertThat(verify.exitCode()).isEqualTo(3);
    assertThat(verify.err())
        .contains("bad.key (line 3)")
        .contains("base64")
        .doesNotContain(notAKey)
        .doesNotContain("c2VjcmV0");
    EncryptionKeyOptions.environment =
        name ->
            name.equals(EncryptionKeyOptions.ENV)
                ? Base64.getEncoder().encodeToString(new byte[16])
                : null;
    Run env = pbk("verify", backups.toString());
    assertThat(env.exitCode()).isEqualTo(3);
    assertThat(env.err()).contains("$PBK_ENCRYPTION_KEY").contains("has 16 bytes");

    Run secured =
        Pbk.runWithInput(
            notAKey + "\n",
            "--data-dir",
            data,
            "settings",
            "set-secured",
            "-d",
            "shop",
            EncryptionKey.SETTING);
    assertThat(secured.exitCode()).isEqualTo(3);
    assertThat(secured.out() + secured.err()).contains("base64").doesNotContain(notAKey);
  }

  @Test
  void setupThatRequiresEncryptionFailsWithoutAKeyAndSaysHowToMakeOne() throws IOException {
    ok("create-database", "shop");
    Path setup =
        Files.writeString(
            temp.resolve("setup.json"),
            "{\"LocalFolderName\": \""
                + backups.toString().replace("\\", "\\\\")
                + "\", \"Encryption\": \"aes-256-gcm-hkdf\"}");
    ok("setup", "-d", "shop", "--file", setup.toString());
    ok("put", "-d", "shop", "users/1", "--body", "{}");

    Run run = pbk("backup", "-d", "shop");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .contains("requires encryption")
        .contains("pbk settings generate-encryption-key -d shop");
    assertThat(ok("status", "-d", "shop").out())
        .contains("requires encryption")
        .contains("encryption: required by the setup, but the database has no key");
    assertThat(backups).doesNotExist();
  }

  private void assertKeyNowhere(String base64) throws IOException {
    String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    for (String[] args :
        new String[][] {
          {"status", "-d", "shop"},
          {"settings", "list", "-d", "shop"},
          {"backup", "-d", "shop", "--verbose"},
          {"get", "-d", "shop", "Raven/Backup/Periodic/Status"}
        }) {
      Run run = pbk(args);
      printed.append(run.out()).append(run.err());
    }
    assertThat(printed.toString())
        .as("everything pbk printed")
        .isNotEmpty()
        .doesNotContain(base64)
        .doesNotContainIgnoringCase(hex);
    try (SqliteStore store = new SqliteStore(Path.of(data))) {
      assertThat(store.open("shop").getSystemDocument("Raven/Backup/Periodic/Status").orElseThrow())
          .doesNotContain(base64)
          .doesNotContainIgnoringCase(hex);
    }
    for (Path root : List.of(Path.of(data), backups)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          assertThat(bytes).as(file.toString()).doesNotContain(base64).doesNotContain(hex);
        }
      }
    }
  }

  private List<Path> backupFiles() throws IOException {
    return BackupFiles.in(backups);
  }

  private static String keyOf(Path exported) throws IOException {
    return Files.readAllLines(exported).stream()
        .filter(l -> !l.startsWith("#"))
        .findFirst()
        .orElseThrow();
  }

  private static String keyId(Run run) {
    Matcher m = KEY_ID.matcher(run.out());
    assertThat(m.find()).as(run.out()).isTrue();
    return m.group(1);
  }

  private static byte[] flip(byte[] bytes, int at) {
    byte[] copy = bytes.clone();
    copy[at] ^= 0x01;
    return copy;
  }

  private DatabaseContents contents(String dataDir) throws IOException {
    return contents(dataDir, "shop");
  }

  private static DatabaseContents contents(String dataDir, String database) throws IOException {
    if (!Files.exists(Path.of(dataDir))) {
      return new DatabaseContents(Map.of(), Map.of());
    }
    try (SqliteStore store = new SqliteStore(Path.of(dataDir))) {
      return DatabaseContents.of(store.openOrCreate(database));
    }
  }

  private Run pbk(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--data-dir";
    all[1] = data;
    System.arraycopy(args, 0, all, 2, args.length);
    Run run = Pbk.run(all);
    printed.append(run.out()).append(run.err());
    return run;
  }

  private Run ok(String... args) {
    Run run = pbk(args);
    assertThat(run.exitCode()).as("pbk %s: %s", String.join(" ", args), run.err()).isZero();
    return run;
  }
}
