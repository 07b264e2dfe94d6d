package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.PbkProcess.Run;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glacier.GlacierClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A new user's first hour with S3 and Glacier, as the user runs the commands (each in a JVM of its
 * own, in an environment without AWS credentials): setup with flags only, backup, where the files
 * go, restore from the bucket or the vault alone, and what is printed when something is missing or
 * fails. Against moto's server (skipped without it, saying so), except the two failures that need
 * no cloud.
 */
class FirstHourCommandLineTest {
  private static final String ACCESS = "pbk-first-hour-key";
  private static final String SECRET = "pbk-first-hour-SECRET-value";

  @TempDir Path temp;
  private PbkProcess pbk;
  private String data;

  @BeforeEach
  void environment() {
    pbk = new PbkProcess(temp.resolve("home"), Map.of());
    data = temp.resolve("data").toString();
  }

  private static String moto() {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: moto tests skipped (.ci/with-moto.sh starts moto)");
    return endpoint;
  }

  /** {@code args} after {@code --data-dir <data>}. */
  private String[] inData(String... args) {
    return Stream.concat(Stream.of("--data-dir", data), Stream.of(args)).toArray(String[]::new);
  }

  /** {@code pbk --data-dir <data> <args>}, which must succeed. */
  private Run okIn(String... args) throws Exception {
    return ok(inData(args));
  }

  /** A restore from {@code source} with the test's credentials, as a user gives them. */
  private Run restoreWithCredentials(Path target, String source, String endpoint, String... extra)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "smuggler",
                "in",
                target.toString(),
                source,
                "--database=shop",
                "--incremental",
                "--endpoint",
                endpoint,
                "--aws-access-key",
                ACCESS));
    args.addAll(List.of(extra));
    return new PbkProcess(temp.resolve("home"), Map.of("PBK_AWS_SECRET_KEY", SECRET))
        .run(args.toArray(String[]::new));
  }

  private Run ok(String... args) throws Exception {
    Run run = pbk.run(args);
    assertThat(run.exitCode()).as("pbk %s\n%s", String.join(" ", args), run.err()).isZero();
    return run;
  }

  /** A database with documents and the credentials settings of moto. */
  private void shopWithCredentials() throws Exception {
    okIn("create-database", "shop", "--setting", "Raven/AWSAccessKey=" + ACCESS);
    Run secured =
        pbk.runWithInput(
            SECRET + "\n",
            "--data-dir",
            data,
            "settings",
            "set-secured",
            "-d",
            "shop",
            "Raven/AWSSecretKey");
    assertThat(secured.exitCode()).as(secured.err()).isZero();
    putDocuments();
  }

  private void putDocuments() throws Exception {
    for (int i = 1; i <= 3; i++) {
      okIn("put", "-d", "shop", "users/" + i, "--body", "{\"N\":" + i + "}");
    }
  }

  @Test
  @DisplayName("S3: setup with flags only, backup, destinations names bucket and endpoint, restore")
  void s3WithFlagsOnly() throws Exception {
    String endpoint = moto();
    String bucket = "pbk-first-hour-" + Long.toHexString(System.nanoTime());
    try (S3Client s3 = s3(endpoint)) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    shopWithCredentials();

    Run setup =
        okIn(
            "setup",
            "-d",
            "shop",
            "--s3-bucket",
            bucket,
            "--s3-folder",
            "prod",
            "--s3-endpoint",
            endpoint,
            "--storage-class",
            "STANDARD_IA",
            "--interval",
            "1h",
            "--option",
            "s3.PartSizeMiB=8");
    assertThat(setup.out())
        .contains(
            "remote destination: s3 (S3BucketName)",
            "bucket: " + bucket,
            "prefix: prod/",
            "endpoint: " + endpoint,
            "storage class: STANDARD_IA");
    assertThat(okIn("backup", "-d", "shop").out()).contains("Full backup");

    Run destinations = okIn("destinations", "-d", "shop");
    assertThat(destinations.out())
        .contains(
            "bucket: " + bucket,
            "prefix: prod/",
            "region: us-east-1",
            "endpoint: " + endpoint,
            "credentials: Raven/AWSAccessKey")
        .doesNotContain(SECRET);
    assertThat(okIn("status", "-d", "shop").out())
        .contains("bucket: " + bucket, "endpoint: " + endpoint);

    Path restored = temp.resolve("restored");
    Run restore = restoreWithCredentials(restored, "s3://" + bucket + "/prod", endpoint);
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    assertThat(restore.out()).contains("restored 1 file(s) into 'shop'");
    assertThat(contents(restored)).isEqualTo(contents(Path.of(data)));
  }

  @Test
  @DisplayName("no credentials anywhere: one line saying where to give them, no SDK names")
  void missingCredentials() throws Exception {
    String endpoint = moto();
    okIn("create-database", "shop");
    putDocuments();
    okIn("setup", "-d", "shop", "--s3-bucket", "nobody-s-bucket", "--s3-endpoint", endpoint);

    Run backup = pbk.run(inData("backup", "-d", "shop"));
    assertThat(backup.exitCode()).isEqualTo(1);
    assertThat(backup.errLines())
        .containsExactly(
            // The first request of a backup to S3 reads the backup lease.
            "pbk: no AWS credentials found for the read of s3://nobody-s-bucket/shop/pbk-lease.json"
                + ": set the database setting Raven/AWSAccessKey and the secured setting"
                + " Raven/AWSSecretKey (pbk settings set / set-secured), for a restore"
                + " --aws-access-key with $PBK_AWS_SECRET_KEY or --aws-secret-key-file, or give the"
                + " AWS default chain its credentials (environment AWS_ACCESS_KEY_ID and"
                + " AWS_SECRET_ACCESS_KEY, a profile in ~/.aws, an instance role)",
            "(run with --verbose for details)");
    assertThat(backup.err()).doesNotContain("software.amazon", "Exception", "Provider");

    Path target = temp.resolve("target");
    Run restore =
        pbk.run(
            "smuggler",
            "in",
            target.toString(),
            "s3://nobody-s-bucket/prod",
            "--database=shop",
            "--incremental",
            "--endpoint",
            endpoint);
    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.errLines()).hasSize(2);
    assertThat(restore.errLines().get(0))
        .startsWith("pbk: no AWS credentials found for the list of s3://nobody-s-bucket/prod/")
        .contains("--aws-access-key with $PBK_AWS_SECRET_KEY");
    assertThat(Files.exists(target.resolve("shop.db")))
        .as("the refused restore left no database behind")
        .isFalse();

    Run verbose = pbk.run(inData("--verbose", "backup", "-d", "shop"));
    assertThat(verbose.err()).contains("Unable to load credentials");
  }

  @Test
  @DisplayName("a failed backup prints its error once, with nothing logged besides")
  void aFailedBackupPrintsItsErrorOnce() throws Exception {
    okIn("create-database", "shop");
    putDocuments();
    Path blocker = Files.writeString(temp.resolve("a-file"), "not a folder");
    okIn("setup", "-d", "shop", "--local-folder", blocker.resolve("backups").toString());

    Run backup = pbk.run(inData("backup", "-d", "shop"));

    assertThat(backup.exitCode()).isEqualTo(1);
    assertThat(backup.errLines()).hasSize(2);
    assertThat(backup.errLines().get(0)).startsWith("pbk: ").contains(blocker.toString());
    assertThat(backup.errLines().get(1)).isEqualTo("(run with --verbose for details)");
  }

  @Test
  @DisplayName("a refused restore (a damaged file) leaves no new database behind")
  void aRefusedRestoreLeavesNothingBehind() throws Exception {
    okIn("create-database", "shop");
    putDocuments();
    Path backups = temp.resolve("backups");
    okIn("setup", "-d", "shop", "--local-folder", backups.toString());
    okIn("backup", "-d", "shop");
    Path file;
    try (Stream<Path> files = Files.walk(backups)) {
      file = files.filter(f -> f.toString().endsWith(".json.gz")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(file, bytes);

    Path target = temp.resolve("target");
    String[] restoreArgs = {
      "smuggler", "in", target.toString(), backups.toString(), "--database=shop", "--incremental"
    };
    Run restore = pbk.run(restoreArgs);

    assertThat(restore.exitCode()).isEqualTo(1);
    assertThat(restore.errLines().get(0))
        .startsWith("pbk: ")
        .contains(file.getFileName().toString());
    assertThat(Files.exists(target.resolve("shop.db"))).isFalse();
    // An existing database is left exactly as it was.
    ok("--data-dir", target.toString(), "create-database", "shop");
    Run again = pbk.run(restoreArgs);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(Files.exists(target.resolve("shop.db"))).isTrue();
  }

  @Test
  @DisplayName("a restore from a Glacier vault alone says what it waits for, file by file")
  void aVaultRestoreTalksWhileItWaits() throws Exception {
    String endpoint = moto();
    String vault = "pbk-first-hour-" + Long.toHexString(System.nanoTime());
    try (GlacierClient glacier = glacier(endpoint)) {
      glacier.createVault(b -> b.accountId("-").vaultName(vault));
    }
    shopWithCredentials();
    okIn("setup", "-d", "shop", "--glacier-vault", vault, "--glacier-endpoint", endpoint);
    okIn("backup", "-d", "shop");

    Path restored = temp.resolve("restored");
    Run restore =
        restoreWithCredentials(
            restored,
            "glacier://" + vault,
            endpoint,
            "--option",
            "glacier.PollSeconds=0.2",
            "--retrieval-timeout",
            "2");

    assertThat(restore.exitCode()).as(restore.err()).isZero();
    List<String> lines = restore.errLines();
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("waiting for the inventory-retrieval job ")
                    .contains("glacier://" + vault, "so far, typically about 4 hours on AWS"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("waiting for the archive-retrieval job ")
                    .contains(
                        "(tier Standard)", "(applying file 1 of 1)", "so far, typically 3-5 hours"))
        .anySatisfy(line -> assertThat(line).startsWith("done after "));
    assertThat(contents(restored)).isEqualTo(contents(Path.of(data)));
  }

  private static DatabaseContents contents(Path dataDir) throws IOException {
    try (SqliteStore store = new SqliteStore(dataDir)) {
      return DatabaseContents.of(store.open("shop"));
    }
  }

  private static S3Client s3(String endpoint) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
        .build();
  }

  private static GlacierClient glacier(String endpoint) {
    return GlacierClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .httpClientBuilder(ApacheHttpClient.builder())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
        .build();
  }
}
