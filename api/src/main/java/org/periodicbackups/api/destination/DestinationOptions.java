package org.periodicbackups.api.destination;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.ClosestName;
import org.periodicbackups.api.config.PeriodicBackupSetup;

/**
 * Reads the options of one provider, its {@code Destinations.<name>} entry of the setup document,
 * and collects every problem so that {@link #check()} reports them all at once. Unknown option
 * names are problems with the closest known name as a hint; each problem names the option ({@code
 * Destinations.s3.PartSizeMiB}), the value and the rule.
 *
 * <pre>{@code
 * DestinationOptions options = DestinationOptions.of(setup, "sftp", List.of("Host", "Port"));
 * String host = options.required("Host", "names the server that keeps the files");
 * int port = options.parse("Port", "a port number from 1 to 65535", v -> port(v)).orElse(22);
 * options.check();
 * }</pre>
 *
 * <p>Values of options named by {@link #secret} are never shown in messages. Not thread-safe: one
 * instance reads one setup.
 */
public final class DestinationOptions {

  /** Turns an option's text into a value; any exception means the text is not valid. */
  @FunctionalInterface
  public interface Parser<T> {
    /** The value of {@code text} (stripped, never blank). */
    T parse(String text) throws Exception;
  }

  private final String provider;
  private final Map<String, String> values;
  private final List<String> known;
  private final List<String> secrets = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private DestinationOptions(String provider, Map<String, String> values, List<String> known) {
    this.provider = provider;
    this.values = values;
    this.known = known;
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        problems.add(
            path(name)
                + ": unknown option; "
                + ClosestName.of(name, known)
                    .map(k -> "did you mean " + k + "? Known: ")
                    .orElse("known: ")
                + known);
      }
    }
  }

  /** The options of {@code provider} in {@code setup}, checked against the {@code known} names. */
  public static DestinationOptions of(
      PeriodicBackupSetup setup, String provider, List<String> known) {
    requireNonNull(setup, "setup is null");
    return of(
        provider, setup.destinationOptions(requireNonNull(provider, "provider is null")), known);
  }

  /** The options {@code values} of {@code provider}, checked against the {@code known} names. */
  public static DestinationOptions of(
      String provider, Map<String, String> values, List<String> known) {
    return new DestinationOptions(
        requireNonNull(provider, "provider is null"),
        Map.copyOf(requireNonNull(values, "values is null")),
        List.copyOf(requireNonNull(known, "known is null")));
  }

  /** Marks {@code name} as a secret: its value never appears in a message. */
  public DestinationOptions secret(String name) {
    secrets.add(name);
    return this;
  }

  /** The option's text, stripped; empty when absent or blank. */
  public Optional<String> text(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /**
   * The option's text; when it is absent, a problem saying that it is not set and what it {@code
   * means} ("names the folder that keeps the files"), and null.
   */
  public String required(String name, String means) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      problems.add(path(name) + " is not set; it " + means);
      return null;
    }
    return value.get();
  }

  /**
   * The option parsed by {@code parser}; empty when absent, or when it is not valid, which adds a
   * problem naming the value and what was {@code expected} ("a whole number of minutes").
   */
  public <T> Optional<T> parse(String name, String expected, Parser<T> parser) {
    Optional<String> text = text(name);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(requireNonNull(parser.parse(text.get()), "parsed value"));
    } catch (Exception e) {
      problem(name, shown(name, values.get(name)) + " is not valid; expected " + expected);
      return Optional.empty();
    }
  }

  /**
   * A whole number (range rules are the caller's); {@code defaultValue} when absent or not valid
   * (which adds a problem).
   */
  public long wholeNumber(String name, long defaultValue) {
    return parse(name, "a whole number", Long::parseLong).orElse(defaultValue);
  }

  /**
   * A whole number from {@code min} to {@code max}; {@code defaultValue} when absent or not valid
   * (which adds a problem).
   */
  public long wholeNumber(String name, long defaultValue, long min, long max) {
    return parse(
            name,
            "a whole number from " + min + " to " + max,
            v -> {
              long value = Long.parseLong(v);
              if (value < min || value > max) {
                throw new IllegalArgumentException("out of range");
              }
              return value;
            })
        .orElse(defaultValue);
  }

  /** {@code true} or {@code false} (any case); {@code defaultValue} when absent or not valid. */
  public boolean flag(String name, boolean defaultValue) {
    return parse(
            name,
            "true or false",
            v -> {
              if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("not a boolean");
              }
              return Boolean.parseBoolean(v);
            })
        .orElse(defaultValue);
  }

  /** Adds a problem about option {@code name}: {@code Destinations.<provider>.<name>: message}. */
  public void problem(String name, String message) {
    problems.add(path(name) + ": " + message);
  }

  /** {@code Destinations.<provider>.<name>}, as messages name an option. */
  public String path(String name) {
    return "Destinations." + provider + "." + name;
  }

  /** The problems found so far, in order. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * Throws when any problem was found.
   *
   * @throws ConfigurationException listing every problem
   */
  public void check() {
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /** The known option names, in the order given. */
  public List<String> known() {
    return known;
  }

  @Override
  public String toString() {
    return "DestinationOptions[" + provider + ", names=" + values.keySet() + "]";
  }

  private String shown(String name, String value) {
    return secrets.contains(name) ? "the value" : "'" + value + "'";
  }
}
