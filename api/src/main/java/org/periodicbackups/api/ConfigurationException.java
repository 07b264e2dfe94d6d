package org.periodicbackups.api;

import java.util.List;
import java.util.Objects;

/**
 * Invalid configuration: a setup document, a setting, or a destination that cannot be resolved.
 *
 * <p>Carries every problem found at once, each naming the key, the bad value and the rule, so that
 * a user can fix them all in one pass. Never carries secret values.
 */
public class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** One problem. */
  public ConfigurationException(String problem) {
    this(List.of(problem));
  }

  /** Several problems, reported together; must not be empty. */
  public ConfigurationException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as one sentence, in the order found. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    Objects.requireNonNull(problems, "problems is null");
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigurationException needs at least one problem");
    }
    return problems.size() == 1 ? problems.get(0) : String.join("; ", problems);
  }
}
