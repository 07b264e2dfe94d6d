package org.periodicbackups.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pbk run}: the daemon that backs up, on their schedules, every database of the data
 * folder that has the Periodic Backups bundle, until it receives SIGTERM (or Ctrl-C).
 *
 * <p>Global settings come from {@code <data-dir>/pbk.properties} (if present), overridden by
 * {@code --setting}; see {@link Daemon} for the rest.
 */
@Command(name = "run", description = {
    "Run periodic backups of every database with the PeriodicBackups bundle until stopped "
        + "(SIGTERM or Ctrl-C).",
    "Global settings: <data-dir>/pbk.properties, overridden by --setting."})
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Daemon.Options options = new Daemon.Options();

  @Override
  public Integer call() throws Exception {
    return new Daemon("pbk run", options).run(spec, (daemon, workspace, engine, resolver,
        activation) -> () -> { });
  }

  /** Durations such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or {@code PT30S}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      String text = value.strip().toLowerCase(Locale.ROOT);
      Matcher matcher = SHORT.matcher(text);
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
      }
      try {
        Duration parsed = Duration.parse(value.strip());
        if (!parsed.isNegative()) {
          return parsed;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
      throw new CommandLine.TypeConversionException("'" + value
          + "' is not a duration; use for example 500ms, 30s, 5m, 1h or PT30S");
    }

    static String format(Duration duration) {
      return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
          : duration.toMillis() + " ms";
    }
  }
}
