package org.periodicbackups.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one parser of the durations typed on the command line ({@code pbk setup --interval}, {@code
 * pbk run --shutdown-timeout}, …): a number of milliseconds ({@code 3600000}), a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}), units combined from the
 * largest ({@code 2h30m}), or ISO-8601 ({@code PT30S}). Zero is a duration; whether an option
 * allows it is the option's rule. Negative durations and ones beyond a {@code long} of milliseconds
 * are refused.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  /** Accepted forms, for error messages and option descriptions. */
  static final String EXAMPLES = "500ms, 30s, 15m, 1h, 2h30m, 7d, PT30S or 3600000 (milliseconds)";

  private static final Pattern MILLISECONDS = Pattern.compile("\\d+");
  // Each unit at most once, largest first; "m" is minutes unless an "s" follows (ms).
  private static final Pattern UNITS =
      Pattern.compile(
          "(?:(\\d+)\\s*d\\s*)?(?:(\\d+)\\s*h\\s*)?"
              + "(?:(\\d+)\\s*m(?!s)\\s*)?(?:(\\d+)\\s*s\\s*)?(?:(\\d+)\\s*ms)?");
  private static final ChronoUnit[] GROUP_UNITS = {
    ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS, ChronoUnit.MILLIS
  };

  @Override
  public Duration convert(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    Duration duration;
    try {
      duration = parse(text);
      if (duration != null) {
        duration.toMillis(); // throws when it does not fit in a long of milliseconds
      }
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      duration = null; // too large, or not ISO-8601
    }
    if (text.startsWith("-") || duration != null && duration.isNegative()) {
      throw new TypeConversionException(
          "'" + value + "' is negative; a duration is 0 or more," + " for example " + EXAMPLES);
    }
    if (duration == null) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration; use for example " + EXAMPLES);
    }
    return duration;
  }

  /** The duration {@code text} (stripped, lower case) stands for, or null if none. */
  private static Duration parse(String text) {
    if (MILLISECONDS.matcher(text).matches()) {
      return Duration.ofMillis(Long.parseLong(text));
    }
    Matcher units = UNITS.matcher(text);
    if (!text.isEmpty() && units.matches()) {
      Duration total = Duration.ZERO;
      for (int group = 1; group <= GROUP_UNITS.length; group++) {
        if (units.group(group) != null) {
          total =
              total.plus(Duration.of(Long.parseLong(units.group(group)), GROUP_UNITS[group - 1]));
        }
      }
      return total;
    }
    return text.startsWith("p") ? Duration.parse(text) : null;
  }

  /** A duration for a log line: whole seconds as {@code 30 s}, else milliseconds. */
  static String format(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }
}
