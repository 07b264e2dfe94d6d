package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.destination.s3.EmbeddedS3Proxy;
import org.periodicbackups.destination.s3.S3Target;

class TckCommandTest {
  @TempDir Path temp;

  private Path setupFile(String json) throws IOException {
    return Files.writeString(temp.resolve("setup.json"), json);
  }

  @Test
  void runsTheWholeKitAgainstAConfiguredFolderAndPrintsAReport() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("backups"));
    String json = "{\"LocalFolderName\":\"" + folder.toString().replace("\\", "\\\\") + "\"}";

    Run run =
        Pbk.run(
            "--data-dir",
            temp.resolve("data").toString(),
            "tck",
            "--setup",
            setupFile(json).toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("running the compatibility kit against 'filesystem'")
        .containsPattern("PASSED +S2\\.4 ")
        .containsPattern("PASSED +T1\\.2 ")
        .containsPattern("PASSED +F1\\.1 ")
        .containsPattern("SKIPPED +K2\\.1 ")
        .containsPattern("pbk tck: filesystem: \\d+ rules, \\d+ passed, 0 failed, \\d+ skipped");
    try (var left = Files.list(folder)) {
      assertThat(left).as("every rule's sub-folder is emptied").allMatch(Files::isDirectory);
    }
  }

  @Test
  void aSetupForAMissingProviderFailsWithTheRegistryMessage() throws IOException {
    Run run =
        Pbk.run(
            "--data-dir",
            temp.resolve("data").toString(),
            "tck",
            "--setup",
            setupFile("{\"Destinations\": {\"sftp\": {}}}").toString());

    assertThat(run.exitCode()).isEqualTo(ErrorReporter.INVALID_CONFIGURATION);
    assertThat(run.err())
        .contains("destination 'sftp' not found; known: [filesystem, ")
        .contains("add the jar that provides it to the plugins folder");
  }

  @Test
  void anUnknownProviderNameFailsWithTheRegistryMessage() throws IOException {
    Run run =
        Pbk.run(
            "--data-dir",
            temp.resolve("data").toString(),
            "tck",
            "--setup",
            setupFile("{\"LocalFolderName\":\"x\"}").toString(),
            "--provider",
            "nope");

    assertThat(run.exitCode()).isEqualTo(ErrorReporter.INVALID_CONFIGURATION);
    assertThat(run.err()).contains("destination 'nope' not found; known: [filesystem, ");
  }

  @Test
  void refusesTheSecretKeyOnTheCommandLine() throws IOException {
    Run run =
        Pbk.run(
            "tck",
            "--setup",
            setupFile("{\"LocalFolderName\":\"x\"}").toString(),
            "--setting",
            "Raven/AWSSecretKey=abc");

    assertThat(run.exitCode()).isEqualTo(ErrorReporter.INVALID_CONFIGURATION);
    assertThat(run.err()).contains("PBK_AWS_SECRET_KEY").doesNotContain("abc");
  }

  /** {@code pbk tck --analyze} of a small run; {@code more} may replace the sizes given here. */
  private Run analyze(String setup, String... more) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--data-dir",
                temp.resolve("data").toString(),
                "tck",
                "--setup",
                setupFile(setup).toString(),
                "--analyze",
                "--seed",
                "7"));
    List<String> given = List.of(more);
    for (String[] option :
        new String[][] {{"--blobs", "25"}, {"--max-size", "256KiB"}, {"--concurrency", "4"}}) {
      if (!given.contains(option[0])) {
        args.addAll(List.of(option));
      }
    }
    args.addAll(given);
    return Pbk.run(args.toArray(String[]::new));
  }

  private static String folderSetup(Path folder) {
    return "{\"LocalFolderName\":\"" + folder.toString().replace("\\", "\\\\") + "\"}";
  }

  @Test
  void analyzesAFolderUnderAPrefixOfItsOwnAndRemovesIt() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("backups"));
    Files.writeString(folder.resolve("kept.json.gz"), "a backup");

    Run run = analyze(folderSetup(folder), "--prefix", "analysis/run-1");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("pbk tck --analyze: 25 blobs of at most 262144 bytes, concurrency 4")
        .containsPattern("uploads +25 blobs, [0-9.]+ MiB in [0-9.]+ s \\([0-9.]+ MiB/s\\)")
        .containsPattern("early reads +\\d+ reads during the uploads")
        .contains("removed everything under analysis/run-1/", "anomalies    none")
        .contains("pbk tck --analyze: filesystem: no anomalies");
    assertThat(Files.readString(folder.resolve("kept.json.gz"))).isEqualTo("a backup");
    try (Stream<Path> left = Files.walk(folder)) {
      assertThat(left.filter(Files::isRegularFile)).containsExactly(folder.resolve("kept.json.gz"));
    }
  }

  @Test
  void refusesAnAnalysisPrefixThatHoldsFilesAndKeepsThem() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("backups/shop"));
    Files.writeString(folder.resolve("full.json.gz"), "a backup");

    Run run = analyze(folderSetup(folder.getParent()), "--prefix", "shop");

    assertThat(run.exitCode()).as(run.out()).isEqualTo(ErrorReporter.INVALID_CONFIGURATION);
    assertThat(run.err()).contains("the analysis prefix 'shop/'", "already holds 1 file(s)");
    assertThat(Files.readString(folder.resolve("full.json.gz"))).isEqualTo("a backup");
  }

  @Test
  void anInvalidAnalysisOptionNamesTheOption() throws IOException {
    Run run = analyze(folderSetup(temp), "--blobs", "0");

    assertThat(run.exitCode()).isEqualTo(ErrorReporter.INVALID_CONFIGURATION);
    assertThat(run.err()).contains("--blobs must be at least 1, got 0");
  }

  @Test
  void analyzesAnS3BucketOnS3Proxy() throws Exception {
    try (EmbeddedS3Proxy s3 = new EmbeddedS3Proxy()) {
      s3.target("analysis");
      Path secret = Files.writeString(temp.resolve("secret"), EmbeddedS3Proxy.SECRET_KEY + "\n");
      Run run =
          analyze(
              s3Setup("analysis", s3.endpoint().toString()),
              "--setting",
              "Raven/AWSAccessKey=" + EmbeddedS3Proxy.ACCESS_KEY,
              "--aws-secret-key-file",
              secret.toString());

      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out())
          .contains("against 's3'", "s3://analysis/tck-analysis", "under pbk-analysis-")
          .contains("anomalies    none", "pbk tck --analyze: s3: no anomalies")
          .doesNotContain(EmbeddedS3Proxy.SECRET_KEY);
    }
  }

  @Test
  void analyzesAnS3BucketOnMoto() throws IOException {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    assumeTrue(
        endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: the moto analysis is skipped (.ci/with-moto.sh starts moto)");
    S3Target bucket =
        new S3Target(
                URI.create(endpoint.strip()), "pbk-moto-key", "pbk-moto-secret", "pbk-analysis")
            .withBucket();
    Path secret = Files.writeString(temp.resolve("secret"), bucket.secretKey() + "\n");

    Run run =
        analyze(
            s3Setup(bucket.bucket(), endpoint.strip()),
            "--setting",
            "Raven/AWSAccessKey=" + bucket.accessKey(),
            "--aws-secret-key-file",
            secret.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("anomalies    none", "pbk tck --analyze: s3: no anomalies");
  }

  private static String s3Setup(String bucket, String endpoint) {
    return "{\"S3BucketName\": \""
        + bucket
        + "\", \"S3RemoteFolderName\": \"tck-analysis\","
        + " \"Destinations\": {\"s3\": {\"Endpoint\": \""
        + endpoint
        + "\"}}}";
  }
}
