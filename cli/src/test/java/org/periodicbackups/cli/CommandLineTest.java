package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.core.config.Json;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteStore;

class CommandLineTest {
  @TempDir Path temp;
  String data;
  Path backups;

  @BeforeEach
  void setUp() {
    data = temp.resolve("data").toString();
    backups = temp.resolve("backups");
  }

  private Run pbk(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--data-dir";
    all[1] = data;
    System.arraycopy(args, 0, all, 2, args.length);
    return Pbk.run(all);
  }

  private Run ok(String... args) {
    Run run = pbk(args);
    assertThat(run.exitCode()).as("pbk %s: %s", String.join(" ", args), run.err()).isZero();
    return run;
  }

  /** A chain of three files for database 'shop' in {@link #backups}. */
  private List<Path> backedUpChain() throws IOException {
    ok("create-database", "shop");
    ok("put", "-d", "shop", "users/1", "--body", "{\"Name\":\"Ann\"}");
    Path attachment = Files.write(temp.resolve("a.bin"), new byte[] {1, 2, 3, 4});
    ok("put-attachment", "-d", "shop", "files/a", attachment.toString());
    ok("setup", "-d", "shop", "--local-folder", backups.toString(), "--interval", "60000");
    ok("backup", "-d", "shop");
    ok(
        "put",
        "-d",
        "shop",
        "users/2",
        "--body",
        "{\"Name\":\"Bob\"}",
        "--metadata",
        "{\"Raven-Entity-Name\":\"Users\"}");
    ok("delete", "-d", "shop", "users/1");
    ok("backup", "-d", "shop");
    ok("delete-attachment", "-d", "shop", "files/a");
    ok("put", "-d", "shop", "users/3", "--body", "{}");
    ok("backup", "-d", "shop");
    return BackupFiles.in(backups);
  }

  private DatabaseContents contents(String dataDir, String database) throws IOException {
    try (SqliteStore store = new SqliteStore(Path.of(dataDir))) {
      return DatabaseContents.of(store.open(database));
    }
  }

  @Test
  void smugglerRestoresABackedUpChainThatEqualsTheSource() throws IOException {
    List<Path> files = backedUpChain();
    String target = temp.resolve("target").toString();

    Run restore =
        ok("smuggler", "in", target, backups.toString(), "--database=copy", "--incremental");

    assertThat(files).hasSize(3);
    assertThat(restore.out()).contains("restored 3 file(s) into 'copy'");
    assertThat(contents(target, "copy").differenceFrom(contents(data, "shop"))).isNull();
    assertThat(contents(target, "copy").documents()).containsOnlyKeys("users/2", "users/3");
  }

  @Test
  void smugglerAcceptsTheDatabaseFolderAndAPointInTime() throws IOException {
    List<Path> files = backedUpChain();
    String target = temp.resolve("target").toString();

    ok(
        "smuggler",
        "in",
        target,
        backups.resolve("shop").toString(),
        "--database=copy",
        "--incremental",
        "--until",
        files.get(0).getFileName().toString());

    assertThat(contents(target, "copy").documents()).containsOnlyKeys("users/1");
    assertThat(contents(target, "copy").attachments()).containsOnlyKeys("files/a");
  }

  @Test
  void smugglerOutWritesOneDumpThatSmugglerInImports() throws IOException {
    backedUpChain();
    Path dump = temp.resolve("exports/shop.json.gz");
    String target = temp.resolve("target").toString();

    Run out = ok("smuggler", "out", data, dump.toString(), "--database=shop");
    Run in = ok("smuggler", "in", target, dump.toString(), "--database=copy");
    Run missing =
        pbk("smuggler", "out", data, temp.resolve("x.json.gz").toString(), "--database=nope");

    assertThat(out.out()).contains("exported 'shop'");
    assertThat(in.out()).contains("restored 1 file(s) into 'copy'");
    assertThat(contents(target, "copy").differenceFrom(contents(data, "shop"))).isNull();
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("nope").doesNotContain("\tat ");
    assertThat(temp.resolve("x.json.gz")).doesNotExist();
  }

  @Test
  void truncatedMiddleFileIsRefusedByVerifyAndRestoreWithoutTouchingTheTarget() throws IOException {
    List<Path> files = backedUpChain();
    try (RandomAccessFile file = new RandomAccessFile(files.get(1).toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }
    String target = temp.resolve("target").toString();

    Run verify = pbk("verify", backups.toString());
    Run restore =
        pbk("smuggler", "in", target, backups.toString(), "--database=copy", "--incremental");

    String name = files.get(1).getFileName().toString();
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).contains("BROKEN").contains(name);
    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.err()).contains(name).doesNotContain("\tat ");
    assertThat(Path.of(target, "copy.db"))
        .as("a refused restore leaves no database")
        .doesNotExist();
  }

  @Test
  void missingMiddleFileIsRefusedNamingTheGap() throws IOException {
    List<Path> files = backedUpChain();
    Files.delete(files.get(1));
    String target = temp.resolve("target").toString();

    Run restore =
        pbk("smuggler", "in", target, backups.toString(), "--database=copy", "--incremental");

    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.err()).contains("000001").contains("missing");
    assertThat(Path.of(target, "copy.db"))
        .as("a refused restore leaves no database")
        .doesNotExist();
  }

  @Test
  void reorderedFilesAreRefused() throws IOException {
    List<Path> files = backedUpChain();
    // Swap the contents of the two incrementals: names stay in order, headers do not.
    Path swap = temp.resolve("swap");
    Files.move(files.get(1), swap);
    Files.move(files.get(2), files.get(1));
    Files.move(swap, files.get(2));

    Run verify = pbk("verify", backups.toString());
    Run restore =
        pbk(
            "smuggler",
            "in",
            temp.resolve("target").toString(),
            backups.toString(),
            "--database=copy",
            "--incremental");

    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(temp.resolve("target").resolve("copy.db"))
        .as("a refused restore leaves no database")
        .doesNotExist();
  }

  @Test
  void aFileOfAnotherDatabaseInTheChainIsRefused() throws IOException {
    List<Path> files = backedUpChain();
    ok("create-database", "other");
    ok("put", "-d", "other", "x/1", "--body", "{}");
    Path otherBackups = temp.resolve("other-backups");
    ok("setup", "-d", "other", "--local-folder", otherBackups.toString());
    ok("backup", "-d", "other");
    Path otherFull;
    otherFull = BackupFiles.in(otherBackups).get(0);
    Files.copy(otherFull, files.get(0), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Run restore =
        pbk(
            "smuggler",
            "in",
            temp.resolve("target").toString(),
            backups.toString(),
            "--database=copy",
            "--incremental");

    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.err()).contains(files.get(0).getFileName().toString()).contains("other");
    assertThat(temp.resolve("target").resolve("copy.db"))
        .as("a refused restore leaves no database")
        .doesNotExist();
  }

  @Test
  void restoringIntoADatabaseWithDocumentsNeedsConsent() throws IOException {
    backedUpChain();
    Run refused =
        pbk("smuggler", "in", data, backups.toString(), "--database=shop", "--incremental");

    assertThat(refused.exitCode()).isEqualTo(ErrorReporter.INVALID_CONFIGURATION);
    assertThat(refused.err()).contains("--into-existing");
    ok(
        "smuggler",
        "in",
        data,
        backups.toString(),
        "--database=shop",
        "--incremental",
        "--into-existing");
  }

  @Test
  void setupWithATypoNamesTheFieldAndSuggestsTheKnownOne() throws IOException {
    ok("create-database", "shop");
    Path setup =
        Files.writeString(
            temp.resolve("setup.json"), "{\"S3BucketNmae\": \"b\", \"IntervalMilliseconds\": -5}");

    Run run = pbk("setup", "-d", "shop", "--file", setup.toString());

    assertThat(run.exitCode()).isEqualTo(ErrorReporter.INVALID_CONFIGURATION);
    assertThat(run.err())
        .contains("S3BucketNmae")
        .contains("did you mean 'S3BucketName'")
        .contains("IntervalMilliseconds")
        .contains("-5")
        .doesNotContain("\tat ");
    assertThat(pbk("status", "-d", "shop").out())
        .contains("(none: periodic backups are not set up")
        .contains("encryption: off (no key;");
  }

  private Optional<String> setupDocument(String database) throws IOException {
    try (SqliteStore store = new SqliteStore(Path.of(data))) {
      return store.open(database).getSystemDocument(SystemDocuments.SETUP_KEY);
    }
  }

  @Test
  void setupTakesDurationsAndStoresMilliseconds() throws IOException {
    ok("create-database", "shop");

    ok(
        "setup",
        "-d",
        "shop",
        "--local-folder",
        backups.toString(),
        "--interval",
        "1h",
        "--full-interval",
        "1d",
        "--keep-minimum-age",
        "7d");

    JsonNode setup = Json.mapper().readTree(setupDocument("shop").orElseThrow());
    assertThat(setup.get("IntervalMilliseconds").asLong()).isEqualTo(3_600_000L);
    assertThat(setup.get("FullBackupIntervalMilliseconds").asLong()).isEqualTo(86_400_000L);
    assertThat(setup.get("RetentionMinimumAgeMilliseconds").asLong()).isEqualTo(604_800_000L);
    ok("setup", "-d", "shop", "--local-folder", backups.toString(), "--interval", "900000");
    assertThat(
            Json.mapper()
                .readTree(setupDocument("shop").orElseThrow())
                .get("IntervalMilliseconds")
                .asLong())
        .isEqualTo(900_000L);
  }

  @Test
  void setupRefusesABadDurationNamingTheOptionTheValueAndTheAcceptedForms() throws IOException {
    ok("create-database", "shop");

    Run run =
        pbk("setup", "-d", "shop", "--local-folder", backups.toString(), "--interval", "1 hour");
    Run zero = pbk("setup", "-d", "shop", "--local-folder", backups.toString(), "--interval", "0s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--interval")
        .contains("'1 hour' is not a duration")
        .contains("15m, 1h, 2h30m, 7d");
    assertThat(zero.exitCode()).isEqualTo(ErrorReporter.INVALID_CONFIGURATION);
    assertThat(zero.err()).contains("IntervalMilliseconds: 0 is not allowed");
    assertThat(setupDocument("shop")).isEmpty();
  }

  @Test
  void setupNamingAMissingDestinationJarIsRefusedWithAHint() throws IOException {
    ok("create-database", "shop");
    Path setup =
        Files.writeString(
            temp.resolve("setup.json"),
            "{\"Destinations\": {\"sftp\": {\"Host\": \"backup.example\"}}}");

    Run run = pbk("setup", "-d", "shop", "--file", setup.toString());

    assertThat(run.exitCode()).isEqualTo(ErrorReporter.INVALID_CONFIGURATION);
    assertThat(run.err())
        .contains("destination 'sftp' not found")
        .contains("known: [filesystem, glacier, s3]")
        .contains("add the jar that provides it to the plugins folder");
    assertThat(pbk("status", "-d", "shop").out())
        .contains("(none: periodic backups are not set up");
  }

  @Test
  void destinationsShowsTheProvidersAndTheResolution() throws IOException {
    backedUpChain();

    Run run = ok("destinations", "-d", "shop");

    assertThat(run.out()).contains("filesystem").contains("local copy: filesystem");
    // Each 'pbk backup' gives its lease up when it ends; the next one takes it with the next token.
    assertThat(ok("status", "-d", "shop").out())
        .containsPattern(
            "backup lease at .*: free: given up by \\S+ \\(process \\d+\\) \\(token [2-9]\\) at ")
        .containsPattern(
            "upload rate \\(last \\d+ files\\): \\d+ files an hour, \\d+ uploads an hour");
  }

  @Test
  void importLoadsJsonLinesAndNamesTheBadLine() throws IOException {
    ok("create-database", "shop");
    Path good =
        Files.writeString(
            temp.resolve("good.jsonl"),
            "{\"Key\":\"a\",\"Body\":{\"x\":1}}\n\n{\"Key\":\"b\",\"Metadata\":{},\"Body\":{}}\n");
    Path bad = Files.writeString(temp.resolve("bad.jsonl"), "{\"Key\":\"c\",\"Body\":{}}\n{oops\n");

    assertThat(ok("import", "-d", "shop", good.toString()).out()).contains("imported 2");
    Run failed = pbk("import", "-d", "shop", bad.toString());

    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.err()).contains("line 2");
    assertThat(ok("get", "-d", "shop", "a").out()).contains("\"Body\":{\"x\":1}");
  }

  @Test
  void unknownDatabaseIsAOneLineErrorListingTheExistingOnes() {
    ok("create-database", "shop");

    Run run = pbk("backup", "-d", "shpo");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("shpo").contains("shop").doesNotContain("\tat ");
  }

  @Test
  void demoPrintsASuccessfulRoundTrip() {
    Run run = Pbk.run("demo", "--work-dir", temp.resolve("demo").toString(), "--documents", "50");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Full backup")
        .contains("Incremental backup")
        .contains("OK: the restored database equals the source");
  }
}
