package org.periodicbackups.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;

class DestinationOptionsTest {
  private static final List<String> KNOWN = List.of("Host", "Port", "Passive", "Password");

  private static DestinationOptions options(Map<String, String> values) {
    return DestinationOptions.of(PeriodicBackupSetup.forProvider("sftp", values), "sftp", KNOWN);
  }

  @Test
  @DisplayName("known options are read: text stripped, numbers and flags parsed, defaults kept")
  void readsKnownOptions() {
    DestinationOptions options =
        options(Map.of("Host", " example.org ", "Port", "2222", "Passive", "TRUE"));

    assertThat(options.text("Host")).contains("example.org");
    assertThat(options.required("Host", "names the server")).isEqualTo("example.org");
    assertThat(options.wholeNumber("Port", 22, 1, 65_535)).isEqualTo(2222);
    assertThat(options.flag("Passive", false)).isTrue();
    assertThat(options.text("Password")).isEmpty();
    assertThat(options.wholeNumber("Missing", 7)).isEqualTo(7);
    assertThat(options.problems()).isEmpty();
    options.check();
  }

  @Test
  @DisplayName("an unknown option gets the closest known name, or the list of known ones")
  void unknownOptions() {
    DestinationOptions options = options(Map.of("Hots", "h", "Colour", "blue"));

    assertThat(options.problems())
        .containsExactlyInAnyOrder(
            "Destinations.sftp.Hots: unknown option; did you mean Host? Known: " + KNOWN,
            "Destinations.sftp.Colour: unknown option; known: " + KNOWN);
  }

  @Test
  @DisplayName("every problem is reported at once by check(), naming option, value and rule")
  void everyProblemAtOnce() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("Port", "ssh");
    values.put("Passive", "maybe");
    DestinationOptions options = options(values);

    assertThat(options.required("Host", "names the server that keeps the files")).isNull();
    assertThat(options.wholeNumber("Port", 22, 1, 65_535)).isEqualTo(22);
    assertThat(options.flag("Passive", false)).isFalse();
    options.problem("Host", "a custom rule");
    assertThatThrownBy(options::check)
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "Destinations.sftp.Host is not set; it names the server that keeps the files",
                        "Destinations.sftp.Port: 'ssh' is not valid; expected a whole number from 1 to"
                            + " 65535",
                        "Destinations.sftp.Passive: 'maybe' is not valid; expected true or false",
                        "Destinations.sftp.Host: a custom rule"));
  }

  @Test
  @DisplayName("a value out of range is not valid, and the default is used")
  void outOfRange() {
    DestinationOptions options = options(Map.of("Port", "70000"));

    assertThat(options.wholeNumber("Port", 22, 1, 65_535)).isEqualTo(22);
    assertThat(options.problems())
        .containsExactly(
            "Destinations.sftp.Port: '70000' is not"
                + " valid; expected a whole number from 1 to 65535");
  }

  @Test
  @DisplayName("a parser's exception becomes a problem; its value is the parsed one otherwise")
  void customParser() {
    DestinationOptions options = options(Map.of("Host", "ftp.example.org", "Port", "x"));

    Optional<Integer> port = options.parse("Port", "a port", Integer::parseInt);
    Optional<String> host = options.parse("Host", "a host name", v -> v.toUpperCase());

    assertThat(port).isEmpty();
    assertThat(host).contains("FTP.EXAMPLE.ORG");
    assertThat(options.problems())
        .containsExactly("Destinations.sftp.Port: 'x' is not valid; expected a port");
  }

  @Test
  @DisplayName("the value of a secret option never appears in a message")
  void secretsAreNotShown() {
    DestinationOptions options = options(Map.of("Password", "hunter2-SECRET")).secret("Password");

    options.parse(
        "Password",
        "at least 20 characters",
        v -> {
          throw new IllegalArgumentException(v);
        });

    assertThat(options.problems())
        .singleElement()
        .asString()
        .isEqualTo(
            "Destinations.sftp.Password: the value is not valid; expected at least 20"
                + " characters")
        .doesNotContain("hunter2");
    assertThat(options.toString()).doesNotContain("hunter2");
  }
}
