package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.destination.s3.EmbeddedS3Proxy;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteStore;

/** Backups to an S3 bucket (an embedded S3Proxy) and restore from the bucket alone. */
class S3CommandLineTest {
  private static EmbeddedS3Proxy s3;

  @TempDir Path temp;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = new EmbeddedS3Proxy();
    s3.target("backups");
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  private Run ok(String... args) {
    Run run = Pbk.run(args);
    assertThat(run.exitCode()).as("pbk %s: %s", String.join(" ", args), run.err()).isZero();
    return run;
  }

  @Test
  void chainBackedUpToABucketIsRestoredAndVerifiedFromTheBucketAlone() throws IOException {
    String data = temp.resolve("data").toString();
    ok(
        "--data-dir",
        data,
        "create-database",
        "shop",
        "--setting",
        "Raven/AWSAccessKey=" + EmbeddedS3Proxy.ACCESS_KEY);
    Run secured =
        Pbk.runWithInput(
            EmbeddedS3Proxy.SECRET_KEY + "\n",
            "--data-dir",
            data,
            "settings",
            "set-secured",
            "-d",
            "shop",
            "Raven/AWSSecretKey");
    assertThat(secured.exitCode()).as(secured.err()).isZero();
    Path setup =
        Files.writeString(
            temp.resolve("setup.json"),
            "{\"S3BucketName\": \"backups\","
                + " \"S3RemoteFolderName\": \"prod/eu\", \"Destinations\": {\"s3\": {\"Endpoint\": \""
                + s3.endpoint()
                + "\"}}}");
    ok("--data-dir", data, "setup", "-d", "shop", "--file", setup.toString());
    ok("--data-dir", data, "put", "-d", "shop", "users/1", "--body", "{\"Name\":\"Ann\"}");
    assertThat(ok("--data-dir", data, "backup", "-d", "shop").out())
        .contains("s3://backups/prod/eu");
    ok("--data-dir", data, "put", "-d", "shop", "users/2", "--body", "{}");
    ok("--data-dir", data, "delete", "-d", "shop", "users/1");
    ok("--data-dir", data, "backup", "-d", "shop");
    Path secret = Files.writeString(temp.resolve("secret"), EmbeddedS3Proxy.SECRET_KEY + "\n");
    String target = temp.resolve("target").toString();

    Run verify =
        ok(
            "verify",
            "s3://backups/prod/eu",
            "--endpoint",
            s3.endpoint().toString(),
            "--aws-access-key",
            EmbeddedS3Proxy.ACCESS_KEY,
            "--aws-secret-key-file",
            secret.toString());
    Run restore =
        ok(
            "smuggler",
            "in",
            target,
            "s3://backups/prod/eu",
            "--database=copy",
            "--incremental",
            "--endpoint",
            s3.endpoint().toString(),
            "--aws-access-key",
            EmbeddedS3Proxy.ACCESS_KEY,
            "--aws-secret-key-file",
            secret.toString());

    assertThat(verify.out()).contains("OK").contains("2 file(s)");
    assertThat(restore.out()).contains("restored 2 file(s)");
    try (SqliteStore source = new SqliteStore(Path.of(data));
        SqliteStore restored = new SqliteStore(Path.of(target))) {
      assertThat(
              DatabaseContents.of(restored.open("copy"))
                  .differenceFrom(DatabaseContents.of(source.open("shop"))))
          .isNull();
    }
    assertThat(verify.out() + verify.err() + restore.out() + restore.err())
        .doesNotContain(EmbeddedS3Proxy.SECRET_KEY);
  }

  @Test
  void wrongCredentialsAreAOneLineErrorWithoutTheSecret() throws IOException {
    Path secret = Files.writeString(temp.resolve("secret"), "wrong-secret-value");

    Run run =
        Pbk.run(
            "verify",
            "s3://backups/prod",
            "--endpoint",
            s3.endpoint().toString(),
            "--aws-access-key",
            EmbeddedS3Proxy.ACCESS_KEY,
            "--aws-secret-key-file",
            secret.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("s3://backups")
        .doesNotContain("wrong-secret-value")
        .doesNotContain("\tat ");
  }

  @Test
  void theSecretKeyAppearsInNoOutputStatusDocumentOrDatabaseFile() throws IOException {
    String data = temp.resolve("data").toString();
    ok(
        "--data-dir",
        data,
        "create-database",
        "shop",
        "--setting",
        "Raven/AWSAccessKey=" + EmbeddedS3Proxy.ACCESS_KEY);
    Run secured =
        Pbk.runWithInput(
            EmbeddedS3Proxy.SECRET_KEY + "\n",
            "--data-dir",
            data,
            "settings",
            "set-secured",
            "-d",
            "shop",
            "Raven/AWSSecretKey");
    ok("--data-dir", data, "put", "-d", "shop", "users/1", "--body", "{}");
    Path good =
        Files.writeString(
            temp.resolve("good.json"),
            "{\"S3BucketName\": \"backups\","
                + " \"Destinations\": {\"s3\": {\"Endpoint\": \""
                + s3.endpoint()
                + "\"}}}");
    Path missing =
        Files.writeString(
            temp.resolve("missing.json"),
            "{\"S3BucketName\":"
                + " \"no-such-bucket\", \"Destinations\": {\"s3\": {\"Endpoint\": \""
                + s3.endpoint()
                + "\"}}}");
    StringBuilder everything = new StringBuilder(secured.out() + secured.err());
    for (String[] args :
        new String[][] {
          {"setup", "-d", "shop", "--file", good.toString()}, {"backup", "-d", "shop"},
          {"setup", "-d", "shop", "--file", missing.toString()}, {"backup", "-d", "shop"},
          {"status", "-d", "shop"}, {"settings", "list", "-d", "shop"},
          {"destinations", "-d", "shop"}, {"backup", "-d", "shop", "--verbose"}
        }) {
      String[] all = new String[args.length + 2];
      all[0] = "--data-dir";
      all[1] = data;
      System.arraycopy(args, 0, all, 2, args.length);
      Run run = Pbk.run(all);
      everything.append(run.out()).append(run.err());
    }

    assertThat(everything)
        .contains("no-such-bucket")
        .contains("(secured)")
        .doesNotContain(EmbeddedS3Proxy.SECRET_KEY);
    try (SqliteStore store = new SqliteStore(Path.of(data))) {
      assertThat(store.open("shop").getSystemDocument("Raven/Backup/Periodic/Status").orElseThrow())
          .contains("LastError")
          .doesNotContain(EmbeddedS3Proxy.SECRET_KEY);
    }
    try (var files = Files.list(Path.of(data))) {
      for (Path file : files.toList()) {
        assertThat(
                new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as(file.toString())
            .doesNotContain(EmbeddedS3Proxy.SECRET_KEY);
      }
    }
  }
}
