package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;

/** The parts of {@code pbk run} that need no separate process. */
class RunCommandTest {
  @TempDir Path temp;

  @Test
  void commandLineSettingsWinOverTheDataFolderFile() throws Exception {
    Files.writeString(
        temp.resolve("pbk.properties"), "Raven/ActiveBundles=Replication\nRaven/Other=x\n");
    GlobalOptions.dataDir = temp;
    Daemon.Options options = new Daemon.Options();
    options.settings.put("Raven/ActiveBundles", "PeriodicBackups");

    assertThat(options.globalSettings())
        .isEqualTo(Map.of("Raven/ActiveBundles", "PeriodicBackups", "Raven/Other", "x"));
  }

  @Test
  void badOptionsAreUsageErrors() {
    Run zero = Pbk.run("--data-dir", temp.toString(), "run", "--max-concurrent", "0");
    Run badTimeout = Pbk.run("--data-dir", temp.toString(), "run", "--shutdown-timeout", "x");
    Run noPause = Pbk.run("--data-dir", temp.toString(), "run", "--rescan-interval", "0s");

    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--max-concurrent must be at least 1");
    assertThat(badTimeout.exitCode()).isEqualTo(2);
    assertThat(badTimeout.err()).contains("--shutdown-timeout").contains("'x' is not a duration");
    assertThat(noPause.exitCode()).isEqualTo(2);
    assertThat(noPause.err()).contains("--rescan-interval must be more than 0");
  }
}
