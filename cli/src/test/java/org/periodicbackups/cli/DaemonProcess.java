package org.periodicbackups.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code pbk run} in a separate JVM, with its output in a file; every wait is bounded. */
final class DaemonProcess {
  private final Process process;
  private final Path log;

  private DaemonProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code pbk --data-dir <dataDir> run <args>}; its temporary files go to {@code tmp}. */
  static DaemonProcess start(Path dataDir, Path tmp, Path log, String... args) throws IOException {
    List<String> pbkArgs = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "run"));
    pbkArgs.addAll(List.of(args));
    return startPbk(tmp, log, pbkArgs.toArray(String[]::new));
  }

  /** Starts {@code pbk <args>} in its own JVM; its temporary files go to {@code tmp}. */
  static DaemonProcess startPbk(Path tmp, Path log, String... args) throws IOException {
    Files.createDirectories(tmp);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new DaemonProcess(process, log);
  }

  /** Sends SIGTERM and returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    return awaitExit();
  }

  /**
   * Sends SIGTERM and returns the exit code; if the process is still running {@code seconds} later,
   * fails with its threads ({@code jcmd <pid> Thread.print}) and its log in the message.
   */
  int stopOrDumpThreads(int seconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      String threads = threadDump();
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "pbk run did not exit within "
              + seconds
              + " s of SIGTERM; its"
              + " threads:\n"
              + threads
              + "\nits log:\n"
              + output());
    }
    return process.exitValue();
  }

  /** The process's threads and their stacks, as {@code jcmd Thread.print} shows them. */
  String threadDump() throws InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Path out = Files.createTempFile(log.getParent(), "threads", ".txt");
      Process dump =
          new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!dump.waitFor(30, TimeUnit.SECONDS)) {
        dump.destroyForcibly();
        return "(jcmd did not answer within 30 s)";
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no thread dump: " + e + ")";
    }
  }

  /** Kills the process (SIGKILL), as a crash or power cut would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    awaitExit();
  }

  /** Stops the process (SIGSTOP), as a long pause of its machine would; {@link #resume} ends it. */
  void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  /** Lets a paused process go on (SIGCONT); harmless for one that is not paused or has ended. */
  void resume() throws IOException, InterruptedException {
    if (process.isAlive()) {
      signal("-CONT");
    }
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill " + signal + " " + process.pid() + " failed");
    }
  }

  /** The exit code of a process that has ended. */
  int exitCode() {
    return process.exitValue();
  }

  /** Waits up to {@code millis} for the process to end by itself; whether it did. */
  boolean exitsWithin(long millis) throws InterruptedException {
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  private int awaitExit() throws InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("pbk run did not exit within 30 s; its log:\n" + output());
    }
    return process.exitValue();
  }

  /** Ends the process if a test failed before stopping it. */
  void ensureDead() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
