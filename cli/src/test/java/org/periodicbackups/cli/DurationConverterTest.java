package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The one parser of durations typed on the command line. */
class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @ParameterizedTest(name = "''{0}'' is {1} ms")
  @CsvSource(
      delimiter = '=',
      value = {
        // every unit, any case, spaces around
        "500ms = 500",
        "30s = 30000",
        "15m = 900000",
        "1h = 3600000",
        "7d = 604800000",
        "' 30 S ' = 30000",
        // units combined, from the largest
        "2h30m = 9000000",
        "1d12h = 129600000",
        "1m30s500ms = 90500",
        // a plain number is milliseconds
        "3600000 = 3600000",
        "86400000 = 86400000",
        // ISO-8601
        "PT45S = 45000",
        "P1DT2H = 93600000",
        // zero is a duration; each option says whether it allows it
        "0 = 0",
        "0s = 0"
      })
  void acceptsUnitsCombinationsMillisecondsIsoAndZero(String text, long milliseconds) {
    assertThat(converter.convert(text)).isEqualTo(Duration.ofMillis(milliseconds));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5", "-1h", "PT-30S"})
  void refusesNegativeDurations(String negative) {
    assertThatThrownBy(() -> converter.convert(negative))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage(
            "'"
                + negative
                + "' is negative; a duration is 0 or more, for example "
                + DurationConverter.EXAMPLES);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "soon",
        "",
        "1x",
        "1h30",
        "30m2h",
        "1.5h",
        "h",
        "99999999999999999999",
        "106751991168d",
        "106751991167301d"
      })
  void refusesWhatIsNotADurationListingTheAcceptedForms(String bad) {
    assertThatThrownBy(() -> converter.convert(bad))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage(
            "'" + bad + "' is not a duration; use for example " + DurationConverter.EXAMPLES);
  }
}
