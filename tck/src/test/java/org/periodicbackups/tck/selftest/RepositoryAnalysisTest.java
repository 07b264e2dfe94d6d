package org.periodicbackups.tck.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.tck.RepositoryAnalysis;
import org.periodicbackups.tck.RepositoryAnalysis.Options;

/**
 * {@link RepositoryAnalysis} finds nothing wrong with correct destinations, names the rule a flawed
 * one breaks, and writes only under an empty prefix of its own, which it leaves empty.
 */
class RepositoryAnalysisTest {

  private static final UploadMetadata METADATA =
      new UploadMetadata("db", BackupType.FULL, 0, 1, "0".repeat(64));

  private static Options options(String prefix, int blobs) {
    return new Options(blobs, 200_000, 4, true, true, prefix, 42, Duration.ofSeconds(2));
  }

  private static FlawedDestination memory(FlawedDestination.Flaw flaw, int pageSize) {
    return new FlawedDestination(
        "analysis-" + flaw, flaw, "s3cr3t", pageSize, new FlawedDestination.Storage());
  }

  @Test
  void aCorrectFolderHasNoAnomaliesAndIsLeftAsFound(@TempDir Path root) throws IOException {
    FilesystemDestination destination = new FilesystemDestination(root);
    Path neighbour = Files.writeString(Files.createTempFile("pbk-", ".txt"), "kept");
    destination.upload("pbk-analysis-x", neighbour, METADATA); // shares the prefix text

    RepositoryAnalysis.Report report =
        RepositoryAnalysis.run(destination, options("pbk-analysis", 30));

    assertThat(report.anomalies()).isEmpty();
    assertThat(report.clean()).isTrue();
    assertThat(destination.list("pbk-analysis/")).isEmpty();
    assertThat(destination.list("")).extracting(f -> f.name()).containsExactly("pbk-analysis-x");
    String printed = printed(report);
    assertThat(printed)
        .contains("uploads      30 blobs", "early reads", "listings", "reads", "overwrites")
        .contains("deletes      30 blobs", "removed everything under pbk-analysis/")
        .contains("anomalies    none");
  }

  @Test
  void aPrefixThatHoldsFilesIsRefusedAndKept(@TempDir Path root) throws IOException {
    FilesystemDestination destination = new FilesystemDestination(root);
    Path file = Files.writeString(Files.createTempFile("pbk-", ".txt"), "a backup");
    destination.upload("backups/db/full.json.gz", file, METADATA);

    assertThatThrownBy(() -> RepositoryAnalysis.run(destination, options("backups", 5)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'backups/'")
        .hasMessageContaining("already holds 1 file(s), such as backups/db/full.json.gz")
        .hasMessageContaining("--prefix");
    assertThat(destination.list("")).hasSize(1);
  }

  @Test
  void coldStorageIsRefused() {
    BackupDestination cold = memory(FlawedDestination.Flaw.COLD, 1000);
    assertThatThrownBy(() -> RepositoryAnalysis.run(cold, options("p", 5)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no immediate reads");
  }

  @Test
  void optionsNameTheOneThatIsWrong() {
    assertThatThrownBy(() -> options("p", 0)).hasMessageContaining("--blobs");
    assertThatThrownBy(() -> new Options(1, 0, 1, true, true, "p", 1, Duration.ZERO))
        .hasMessageContaining("--max-size");
    assertThatThrownBy(() -> new Options(1, 1, 0, true, true, "p", 1, Duration.ZERO))
        .hasMessageContaining("--concurrency");
    assertThatThrownBy(() -> options("../up", 1)).hasMessageContaining("--prefix '../up'");
  }

  @ParameterizedTest(name = "{0} breaks {1}")
  @CsvSource({
    "NONE,",
    "DROPS_LAST_BYTE,[C1.3] [C1.5] S2.4 S5.1 S6.1 S6.2 S6.3",
    "STALE_AFTER_OVERWRITE,[C1.3] S6.1 S6.2 S6.3",
    "FORGETS_CONTINUATION,S5.1 S6.3",
    // Reads during uploads and overwrites (C1.3, C1.5) meet a flaw only when they happen to run
    // at the same moment: other flaws may break them too, WRITES_IN_PLACE must.
    "OPENS_LAST_PREFIX_MATCH,S2.4 [C1.5]",
    "LISTS_EXACT_NAME_ONLY,P1.4",
    "WRITES_IN_PLACE,C1.3 C1.5",
    "IGNORES_DELETES,S3.2 S4.1",
    "WRONG_ORDER,S5.2",
  })
  void aFlawedDestinationBreaksItsRules(FlawedDestination.Flaw flaw, String rules)
      throws IOException {
    FlawedDestination destination = memory(flaw, 20);

    RepositoryAnalysis.Report report = RepositoryAnalysis.run(destination, options("an", 30));

    Set<String> broken =
        report.anomalies().stream()
            .map(RepositoryAnalysis.Anomaly::rule)
            .collect(Collectors.toSet());
    // "[R]" is a rule the flaw may break, depending on timing; the others it must break.
    List<String> named = rules == null ? List.of() : List.of(rules.split(" "));
    Set<String> expected =
        named.stream().filter(r -> !r.startsWith("[")).collect(Collectors.toSet());
    Set<String> allowed =
        named.stream().map(r -> r.replace("[", "").replace("]", "")).collect(Collectors.toSet());
    assertThat(broken).as(printed(report)).containsAll(expected);
    assertThat(allowed).as(printed(report)).containsAll(broken);
    assertThat(report.clean()).isEqualTo(expected.isEmpty());
    if (!expected.isEmpty()) {
      assertThat(printed(report)).contains("ANOMALY " + expected.iterator().next());
    }
  }

  private static String printed(RepositoryAnalysis.Report report) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
