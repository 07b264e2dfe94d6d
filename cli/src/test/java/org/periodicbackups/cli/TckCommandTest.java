package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;

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
}
