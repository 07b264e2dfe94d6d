package org.periodicbackups.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.periodicbackups.api.ConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one line a user can act on ({@code pbk: <message>}); the stack trace is
 * printed only with {@code --verbose}. Exit codes: 1 for a failed operation, 3 for invalid
 * configuration (picocli itself uses 2 for bad command-line usage).
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  static final int FAILED = 1;
  static final int INVALID_CONFIGURATION = 3;

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (exception instanceof ConfigurationException configuration
        && configuration.problems().size() > 1) {
      err.println("pbk: invalid configuration:");
      configuration.problems().forEach(problem -> err.println("  - " + problem));
    } else {
      err.println("pbk: " + describe(exception));
    }
    if (GlobalOptions.verbose) {
      StringWriter trace = new StringWriter();
      exception.printStackTrace(new PrintWriter(trace));
      err.print(trace);
    } else {
      err.println("(run with --verbose for details)");
    }
    err.flush();
    return exception instanceof ConfigurationException ? INVALID_CONFIGURATION : FAILED;
  }

  /** The message, or for exceptions without one, their kind and the cause's message. */
  static String describe(Throwable exception) {
    String message = exception.getMessage();
    if (message != null && !message.isBlank()) {
      return message;
    }
    Throwable cause = exception.getCause();
    return exception.getClass().getSimpleName() + (cause != null ? ": " + describe(cause) : "");
  }
}
