package org.periodicbackups.tck.selftest;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The outcome of running the kit on one subject class with the JUnit Platform Launcher. */
final class KitRun {
  /** A rule id such as S2.1; word boundaries keep timestamps like T144300.000 out. */
  static final Pattern RULE_ID = Pattern.compile("\\b[RSACKIFTLPNW]\\d{1,2}\\.\\d{1,2}\\b");

  /** One finished test: its display name, status and failure message (or skip reason). */
  record Outcome(String displayName, TestExecutionResult.Status status, String message) {
    /** The rule id the display name starts with. */
    String ruleOfName() {
      Matcher m = RULE_ID.matcher(displayName);
      return m.lookingAt() ? m.group() : "";
    }

    /** Every rule id the message names. */
    Set<String> rulesOfMessage() {
      Set<String> ids = new TreeSet<>();
      Matcher m = RULE_ID.matcher(message);
      while (m.find()) {
        ids.add(m.group());
      }
      return ids;
    }
  }

  final List<Outcome> outcomes = new ArrayList<>();

  private KitRun() {}

  /** Runs every test of {@code subject} and records each test's outcome. */
  static KitRun of(Class<?> subject) {
    KitRun run = new KitRun();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(subject)).build();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        request,
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
              String message = result.getThrowable().map(KitRun::messages).orElse("");
              run.outcomes.add(new Outcome(id.getDisplayName(), result.getStatus(), message));
            }
          }
        });
    return run;
  }

  List<Outcome> with(TestExecutionResult.Status status) {
    return outcomes.stream().filter(o -> o.status() == status).toList();
  }

  /** The rule ids named by the failure messages. */
  Set<String> failedRules() {
    Set<String> ids = new TreeSet<>();
    with(TestExecutionResult.Status.FAILED).forEach(o -> ids.addAll(o.rulesOfMessage()));
    return ids;
  }

  /** The message with those of suppressed exceptions (a failed @AfterEach adds one). */
  private static String messages(Throwable t) {
    StringBuilder out = new StringBuilder(String.valueOf(t.getMessage()));
    for (Throwable suppressed : t.getSuppressed()) {
      out.append(" | suppressed: ").append(suppressed.getMessage());
    }
    return out.toString();
  }
}
