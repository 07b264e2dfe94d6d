package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;

/** Content digests, their check on restore, verify's report and drills, through {@code pbk}. */
class ProofOfRecoveryCommandLineTest {
  @TempDir Path temp;
  String data;
  Path backups;

  @BeforeEach
  void setUp() throws IOException {
    data = temp.resolve("data").toString();
    backups = temp.resolve("backups");
    ok("create-database", "shop");
    ok("setup", "-d", "shop", "--local-folder", backups.toString());
    for (int i = 0; i < 20; i++) {
      ok("put", "-d", "shop", "users/" + i, "--body", "{\"Name\":\"user " + i + "\"}");
    }
    ok("backup", "-d", "shop");
    ok("delete", "-d", "shop", "users/3");
    ok("backup", "-d", "shop");
  }

  @Test
  void restoreAndVerifyReportTheContentTheChainEndsWith() throws IOException {
    assertThat(ok("verify", backups.toString()).out())
        .contains("OK")
        .contains("with 19 documents, 0 attachments, digest ")
        .contains("(sha256-sum)");

    Run restore =
        ok(
            "smuggler",
            "in",
            temp.resolve("fresh").toString(),
            backups.toString(),
            "--database=shop",
            "--incremental");
    assertThat(restore.out())
        .contains("content proved equal to the source at shop/")
        .contains(".incremental.json.gz: 19 documents, 0 attachments, digest ");
  }

  @Test
  void aDrillProvesTheChainAndIsRecordedInTheStatus() {
    Run drill = ok("drill", "-d", "shop");
    assertThat(drill.out())
        .startsWith("drill of 'shop' from local copy filesystem:")
        .contains("the restored database equals the source at the chain's cut")
        .containsPattern("\\(etag \\d+\\)");
    assertThat(ok("status", "-d", "shop").out())
        .contains("\"LastDrill\"")
        .contains("\"Result\" : \"Proved\"");
    // The drill left nothing behind in the data folder.
    assertThat(ok("databases").out()).doesNotContain("restored");
  }

  @Test
  void aForgedLastFileFailsTheDrillAndTheRestoreLeavingNoDatabase() throws IOException {
    Path last = backupFiles().get(1);
    String json;
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(last))) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String forged = json.replace("\"Documents\":19,", "\"Documents\":20,");
    assertThat(forged).isNotEqualTo(json);
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(last))) {
      out.write(forged.getBytes(StandardCharsets.UTF_8));
    }

    Run drill = Pbk.run("--data-dir", data, "drill", "-d", "shop");
    assertThat(drill.exitCode()).isEqualTo(1);
    assertThat(drill.err())
        .startsWith("pbk: drill of 'shop' from local copy filesystem failed: ")
        .contains("does not equal the source")
        .contains("the file records 20 documents, 0 attachments");
    assertThat(ok("status", "-d", "shop").out()).contains("\"Result\" : \"Failed\"");

    String fresh = temp.resolve("fresh").toString();
    Run restore =
        Pbk.run("smuggler", "in", fresh, backups.toString(), "--database=shop", "--incremental");
    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.err()).contains(last.getFileName().toString()).contains("does not equal");
    assertThat(Path.of(fresh).resolve("shop.db")).doesNotExist();
  }

  private List<Path> backupFiles() throws IOException {
    return BackupFiles.in(backups);
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
