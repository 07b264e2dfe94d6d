package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteStore;

/** Snapshot chains through {@code pbk}: setup, backup, verify, restore, refusals. */
class SnapshotCommandLineTest {
  @TempDir Path temp;
  String data;
  Path backups;

  @BeforeEach
  void setUp() throws IOException {
    data = temp.resolve("data").toString();
    backups = temp.resolve("backups");
    ok("create-database", "shop");
    ok("setup", "-d", "shop", "--local-folder", backups.toString(), "--backup-type", "snapshot");
    for (int i = 0; i < 50; i++) {
      ok("put", "-d", "shop", "users/" + i, "--body", "{\"Name\":\"user " + i + "\"}");
    }
    Path logo = temp.resolve("logo.png");
    Files.write(logo, new byte[] {1, 2, 3, 4, 5});
    ok("put-attachment", "-d", "shop", "images/logo.png", logo.toString());
  }

  @Test
  void aSnapshotChainIsVerifiedAndRestoredIntoANewDatabaseAtEveryPointInTime() throws IOException {
    ok("backup", "-d", "shop");
    DatabaseContents atFull = contents(data, "shop");
    ok("put", "-d", "shop", "users/new", "--body", "{\"Name\":\"Eve\"}");
    ok("delete", "-d", "shop", "users/3");
    ok("backup", "-d", "shop");
    List<Path> files = backupFiles();
    assertThat(files).hasSize(2);
    assertThat(files.get(0).getFileName().toString()).endsWith(".snapshot.img.gz");
    assertThat(files.get(1).getFileName().toString()).endsWith(".incremental.json.gz");

    assertThat(ok("verify", backups.toString()).out())
        .contains("OK")
        .contains("2 file(s), its snapshot image passed the store's integrity check");

    String fresh = temp.resolve("fresh").toString();
    Run restored =
        ok("smuggler", "in", fresh, backups.toString(), "--database=shop", "--incremental");
    assertThat(restored.out()).contains("from a snapshot image and incrementals");
    assertThat(contents(fresh, "shop").differenceFrom(contents(data, "shop"))).isNull();
    try (SqliteStore store = new SqliteStore(Path.of(fresh))) {
      // What a logical restore would not bring either: the setup, the status, the settings.
      assertThat(store.open("shop").getSystemDocument("Raven/Backup/Periodic/Setup")).isEmpty();
      assertThat(store.list()).containsExactly("shop");
    }

    ok(
        "smuggler",
        "in",
        fresh,
        backups.toString(),
        "--database=early",
        "--incremental",
        "--until",
        files.get(0).getFileName().toString());
    assertThat(contents(fresh, "early").differenceFrom(atFull)).isNull();
  }

  @Test
  void anImageIsRefusedIntoAnExistingDatabaseAndADamagedOneLeavesNoDatabase() throws IOException {
    ok("backup", "-d", "shop");
    String other = temp.resolve("other").toString();
    Pbk.run("--data-dir", other, "create-database", "taken");
    Run refused =
        Pbk.run(
            "smuggler",
            "in",
            other,
            backups.toString(),
            "--database=taken",
            "--incremental",
            "--into-existing");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("snapshot file")
        .contains("restores only into a new database")
        .contains("--into-existing applies to logical chains only");

    Path image = backupFiles().get(0);
    byte[] bytes = Files.readAllBytes(image);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(image, bytes);
    Run damaged =
        Pbk.run("smuggler", "in", other, backups.toString(), "--database=fresh", "--incremental");
    assertThat(damaged.exitCode()).isEqualTo(1);
    assertThat(damaged.err()).contains(image.getFileName().toString());
    try (Stream<Path> left = Files.list(Path.of(other))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith("fresh") || name.contains("staging"));
    }
    Run verify = Pbk.run("verify", backups.toString());
    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).contains("BROKEN").contains(image.getFileName().toString());
  }

  @Test
  void aSetupChangeTakesEffectAtTheNextFullAndTheMixedChainsRestore() throws IOException {
    ok("backup", "-d", "shop");
    ok("setup", "-d", "shop", "--local-folder", backups.toString(), "--backup-type", "backup");
    ok("put", "-d", "shop", "users/after", "--body", "{}");
    ok("backup", "-d", "shop");
    ok("backup", "-d", "shop", "--full");
    ok("put", "-d", "shop", "users/last", "--body", "{}");
    ok("backup", "-d", "shop");
    List<String> names = backupFiles().stream().map(p -> p.getFileName().toString()).toList();
    assertThat(names).hasSize(4);
    assertThat(names.get(0)).contains(".snapshot.");
    assertThat(names.get(2)).contains(".full.json.");
    String fresh = temp.resolve("fresh").toString();
    ok("smuggler", "in", fresh, backups.toString(), "--database=shop", "--incremental");
    assertThat(contents(fresh, "shop").differenceFrom(contents(data, "shop"))).isNull();
    assertThat(ok("verify", backups.toString()).out()).contains("OK").doesNotContain("BROKEN");
  }

  private List<Path> backupFiles() throws IOException {
    return BackupFiles.in(backups);
  }

  private static DatabaseContents contents(String dataDir, String database) throws IOException {
    try (SqliteStore store = new SqliteStore(Path.of(dataDir))) {
      if (!store.exists(database)) {
        return new DatabaseContents(Map.of(), Map.of());
      }
      return DatabaseContents.of(store.open(database));
    }
  }

  private Run ok(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--data-dir";
    all[1] = data;
    System.arraycopy(args, 0, all, 2, args.length);
    Run run = Pbk.run(all);
    assertThat(run.exitCode()).as("pbk %s: %s", String.join(" ", args), run.err()).isZero();
    return run;
  }
}
