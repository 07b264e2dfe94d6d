package org.periodicbackups.tck;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a kit class with the JUnit Platform Launcher and reports each rule: its id and display name,
 * PASSED, FAILED or SKIPPED, and the failure message or skip reason.
 */
public final class KitReport {
  /** What happened to one rule. */
  public enum Status {
    PASSED,
    FAILED,
    SKIPPED
  }

  /** One rule's outcome. */
  public record Outcome(String displayName, Status status, String message) {}

  private final List<Outcome> outcomes = new ArrayList<>();

  private KitReport() {}

  /** Runs every test of {@code kitClass} (and its nested rule groups). */
  public static KitReport run(Class<?> kitClass) {
    KitReport report = new KitReport();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kitClass)).build(),
        new TestExecutionListener() {
          @Override
          public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
              report.outcomes.add(new Outcome(id.getDisplayName(), Status.SKIPPED, reason));
            }
          }

          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
              report.add(id.getDisplayName(), result);
            } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
              report.add("(" + id.getDisplayName() + ")", result); // a class-level failure
            }
          }
        });
    return report;
  }

  private void add(String name, TestExecutionResult result) {
    String message =
        result
            .getThrowable()
            .map(t -> String.valueOf(t.getMessage()).strip())
            .orElse("")
            .replaceFirst("^Assumption failed: ", "");
    Status status =
        switch (result.getStatus()) {
          case SUCCESSFUL -> Status.PASSED;
          case ABORTED -> Status.SKIPPED;
          case FAILED -> Status.FAILED;
        };
    outcomes.add(new Outcome(name, status, message));
  }

  /** Every outcome, in the order the rules ran. */
  public List<Outcome> outcomes() {
    return List.copyOf(outcomes);
  }

  /** How many rules ended with {@code status}. */
  public long count(Status status) {
    return outcomes.stream().filter(o -> o.status() == status).count();
  }

  /** Whether nothing failed and at least one rule passed. */
  public boolean passed() {
    return count(Status.FAILED) == 0 && count(Status.PASSED) > 0;
  }

  /** Prints one line per rule (and the message of failures and skips), then a summary line. */
  public void print(PrintStream out, String subject) {
    for (Outcome o : outcomes) {
      out.printf("%-8s %s%n", o.status(), o.displayName());
      if (o.status() != Status.PASSED && !o.message().isEmpty()) {
        out.println("         " + o.message().replace("\n", "\n         "));
      }
    }
    out.printf(
        "pbk tck: %s: %d rules, %d passed, %d failed, %d skipped%n",
        subject,
        outcomes.size(),
        count(Status.PASSED),
        count(Status.FAILED),
        count(Status.SKIPPED));
  }
}
