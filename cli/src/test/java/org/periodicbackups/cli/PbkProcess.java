package org.periodicbackups.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code pbk} as a user does: in a JVM of its own, with an environment the test controls (no
 * AWS credentials of the machine, a home folder of its own), standard output and error apart.
 */
final class PbkProcess {
  record Run(int exitCode, String out, String err) {
    /** The lines of standard error. */
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
    }
  }

  private final Path home;
  private final Map<String, String> environment;

  /**
   * Runs with {@code home} as the home folder and {@code environment} added to a clean one: the AWS
   * default credentials chain finds nothing the test did not put there.
   */
  PbkProcess(Path home, Map<String, String> environment) {
    this.home = home;
    this.environment = environment;
  }

  /** Runs {@code pbk <args>} with {@code stdin} as its standard input; waits at most 3 minutes. */
  Run runWithInput(String stdin, String... args) throws IOException, InterruptedException {
    Files.createDirectories(home);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + home,
                "-Duser.home=" + home,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("PBK_"));
    env.put("HOME", home.toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true"); // no instance role on a test machine
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString());
    env.put("AWS_CONFIG_FILE", home.resolve("no-config").toString());
    env.putAll(environment);
    Path out = Files.createTempFile(home, "pbk-out", ".txt");
    Path err = Files.createTempFile(home, "pbk-err", ".txt");
    Process process =
        builder
            .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
            .redirectError(ProcessBuilder.Redirect.to(err.toFile()))
            .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("pbk " + String.join(" ", args) + " did not end within 3 minutes");
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Runs {@code pbk <args>} with an empty standard input. */
  Run run(String... args) throws IOException, InterruptedException {
    return runWithInput("", args);
  }
}
