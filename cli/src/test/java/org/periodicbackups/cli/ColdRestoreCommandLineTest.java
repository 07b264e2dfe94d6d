package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code smuggler in --plan}, {@code verify --plan} and the bulk thaw of a restore from an archive
 * storage class, through the command line: on a local folder always, and on moto's S3 (which
 * refuses GETs of GLACIER objects until restored, and restores at once) when {@code
 * PBK_MOTO_ENDPOINT} is set.
 */
class ColdRestoreCommandLineTest {
  private static final String ACCESS = "pbk-cold-key";
  private static final String SECRET = "pbk-cold-secret";

  @TempDir Path temp;

  private String data() {
    return temp.resolve("data").toString();
  }

  private Run ok(String... args) {
    Run run = Pbk.run(args);
    assertThat(run.exitCode()).as("pbk %s\n%s", String.join(" ", args), run.err()).isZero();
    return run;
  }

  private Run okIn(String... args) {
    return ok(
        Stream.concat(Stream.of("--data-dir", data()), Stream.of(args)).toArray(String[]::new));
  }

  private void shopWithTwoBackups(String... setupArgs) {
    List<String> setup = new ArrayList<>(List.of("setup", "-d", "shop"));
    setup.addAll(List.of(setupArgs));
    okIn(setup.toArray(String[]::new));
    okIn("put", "-d", "shop", "orders/1", "--body", "{\"Total\": 1}");
    okIn("backup", "-d", "shop");
    okIn("put", "-d", "shop", "orders/2", "--body", "{\"Total\": 2}");
    okIn("backup", "-d", "shop");
  }

  @Test
  @DisplayName("--plan of a local folder lists the chain as readable now, and touches no target")
  void planOfALocalFolder() throws Exception {
    okIn("create-database", "shop");
    Path backups = temp.resolve("backups");
    shopWithTwoBackups("--local-folder", backups.toString());
    Path target = temp.resolve("target");
    Run plan =
        ok(
            "smuggler",
            "in",
            target.toString(),
            backups.toString(),
            "--database=shop",
            "--incremental",
            "--plan");
    assertThat(plan.out())
        .contains("restore plan: 'shop' from " + backups.toAbsolutePath())
        .contains("2 file(s)")
        .contains(".full.json.gz")
        .contains(".incremental.json.gz")
        .contains("readable now: 2, restored already: 0, being restored: 0, to request: 0")
        .contains("no retrieval needed")
        .contains("this plan read no backup data, requested nothing and changed nothing");
    assertThat(target).doesNotExist();

    Run noChain =
        Pbk.run(
            "smuggler", "in", target.toString(), backups.toString(), "--database=shop", "--plan");
    assertThat(noChain.exitCode()).isNotZero();
    assertThat(noChain.err()).contains("--plan plans the restore of a chain: add --incremental");

    Path broken =
        Files.writeString(
            temp.resolve("prices.json"),
            "{\"Classes\": {\"GLACIER\": {\"Bulk\": {\"PerGiB\": \"free\"}}}}");
    Run badPrices = Pbk.run("verify", backups.toString(), "--plan", "--prices", broken.toString());
    assertThat(badPrices.exitCode()).isNotZero();
    assertThat(badPrices.err())
        .contains("price table " + broken)
        .contains("Classes.GLACIER.Bulk needs numbers PerGiB and PerThousandRequests");
  }

  @Test
  @DisplayName(
      "from GLACIER fulls: --plan says what must be requested and its cost per tier, the restore"
          + " requests all at once, and a plan after it sees the restored copy")
  void planAndBulkThawFromAnArchiveClass() throws Exception {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: moto tests skipped (.ci/with-moto.sh starts moto)");
    String bucket = "pbk-cold-" + System.nanoTime();
    try (S3Client s3 =
        S3Client.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create(endpoint))
            .forcePathStyle(true)
            .httpClientBuilder(ApacheHttpClient.builder())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
            .build()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    okIn("create-database", "shop", "--setting", "Raven/AWSAccessKey=" + ACCESS);
    Run secured =
        Pbk.runWithInput(
            SECRET + "\n",
            "--data-dir",
            data(),
            "settings",
            "set-secured",
            "-d",
            "shop",
            "Raven/AWSSecretKey");
    assertThat(secured.exitCode()).as(secured.err()).isZero();
    shopWithTwoBackups(
        "--s3-bucket",
        bucket,
        "--s3-folder",
        "prod",
        "--s3-endpoint",
        endpoint,
        "--option",
        "s3.FullStorageClass=GLACIER",
        "--option",
        "s3.IncrementalStorageClass=STANDARD_IA");
    Path secret = Files.writeString(temp.resolve("secret"), SECRET + "\n");
    Path target = temp.resolve("target");
    List<String> remote =
        List.of(
            "--endpoint",
            endpoint,
            "--aws-access-key",
            ACCESS,
            "--aws-secret-key-file",
            secret.toString(),
            "--option",
            "s3.RestorePollSeconds=1");
    List<String> restore =
        new ArrayList<>(
            List.of(
                "smuggler",
                "in",
                target.toString(),
                "s3://" + bucket + "/prod",
                "--database=shop",
                "--incremental"));
    restore.addAll(remote);

    List<String> plan = new ArrayList<>(restore);
    plan.add("--plan");
    Run before = ok(plan.toArray(String[]::new));
    assertThat(before.out())
        .containsPattern("full\\.json\\.gz +\\d+ B +GLACIER +must be requested")
        .containsPattern("incremental\\.json\\.gz +\\d+ B +STANDARD_IA +readable now")
        .contains("readable now: 1, restored already: 0, being restored: 0, to request: 1")
        .containsPattern("Expedited +typically 1-5 minutes +0\\.0100 USD")
        .containsPattern("Standard +typically 3-5 hours +0\\.0001 USD +<- requested")
        .containsPattern("Bulk +typically 5-12 hours +0\\.0000 USD");
    assertThat(target).doesNotExist();

    List<String> verifyPlan =
        new ArrayList<>(List.of("verify", "s3://" + bucket + "/prod", "--plan"));
    verifyPlan.addAll(remote);
    assertThat(ok(verifyPlan.toArray(String[]::new)).out())
        .contains("to request: 1")
        .contains("requested nothing");

    Run restored = ok(restore.toArray(String[]::new));
    assertThat(restored.err())
        .contains("the Standard retrievals of 1 file(s) from s3://" + bucket + "/prod/")
        .contains("1 of 1 readable");
    assertThat(restored.out())
        .contains("restored 2 file(s) into 'shop'")
        .contains("content proved");

    Path prices =
        Files.writeString(
            temp.resolve("prices.json"),
            "{\"Source\": \"our contract\", \"Currency\": \"EUR\", \"TransferOutPerGiB\": 0,"
                + " \"Classes\": {\"STANDARD_IA\": {\"Instant\": {\"PerGiB\": 0,"
                + " \"PerThousandRequests\": 1000}}, \"GLACIER\": {\"Standard\": {\"PerGiB\": 0,"
                + " \"PerThousandRequests\": 1000, \"Wait\": \"a day\"}}}}");
    plan.addAll(List.of("--prices", prices.toString()));
    Run after = ok(plan.toArray(String[]::new));
    assertThat(after.out())
        .containsPattern("full\\.json\\.gz +\\d+ B +GLACIER +restored, readable until ")
        .contains("readable now: 1, restored already: 1, being restored: 0, to request: 0")
        .contains("reading the files that need no request: 1.0000 EUR")
        .contains("prices: our contract")
        .doesNotContain("built-in");
  }
}
