package org.periodicbackups.cli;

import picocli.CommandLine;

/** Entry point of the {@code pbk} command. */
public final class Main {
  private Main() {}

  /** Runs {@code pbk} with {@code args} and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs {@code pbk} with {@code args} and returns its exit code (for tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, with one-line error reporting. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new PbkCommand());
    commandLine.setExecutionExceptionHandler(new ErrorReporter());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine;
  }
}
