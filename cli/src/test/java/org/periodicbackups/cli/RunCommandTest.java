package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.cli.RunCommand.DurationConverter;
import picocli.CommandLine;

/** The parts of {@code pbk run} that need no separate process. */
class RunCommandTest {
  @TempDir Path temp;

  @Test
  void durationsAcceptShortFormsAndIso() {
    DurationConverter converter = new DurationConverter();

    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(converter.convert("PT45S")).isEqualTo(Duration.ofSeconds(45));
    assertThatThrownBy(() -> converter.convert("soon"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'soon' is not a duration");
  }

  @Test
  void commandLineSettingsWinOverTheDataFolderFile() throws Exception {
    Files.writeString(temp.resolve("pbk.properties"),
        "Raven/ActiveBundles=Replication\nRaven/Other=x\n");
    GlobalOptions.dataDir = temp;
    Daemon.Options options = new Daemon.Options();
    options.settings.put("Raven/ActiveBundles", "PeriodicBackups");

    assertThat(options.globalSettings()).isEqualTo(
        Map.of("Raven/ActiveBundles", "PeriodicBackups", "Raven/Other", "x"));
  }

  @Test
  void badOptionsAreUsageErrors() {
    Run zero = Pbk.run("--data-dir", temp.toString(), "run", "--max-concurrent", "0");
    Run badTimeout = Pbk.run("--data-dir", temp.toString(), "run", "--shutdown-timeout", "x");

    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--max-concurrent must be at least 1");
    assertThat(badTimeout.exitCode()).isEqualTo(2);
    assertThat(badTimeout.err()).contains("'x' is not a duration");
  }
}
