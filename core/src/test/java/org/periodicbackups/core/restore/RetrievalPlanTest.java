package org.periodicbackups.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.ColdStorage.Availability;
import org.periodicbackups.api.destination.ColdStorage.FileState;
import org.periodicbackups.core.restore.RetrievalPlan.TierEstimate;

class RetrievalPlanTest {
  private static final long GIB = 1024L * 1024 * 1024;

  @TempDir Path temp;

  private static RetrievalPlan plan(RetrievalPrices prices, FileState... states) {
    List<PlannedFile> files =
        List.of(states).stream().map(s -> new PlannedFile(s.name(), null, s.size())).toList();
    return new RetrievalPlan(
        new RestorePlan("shop", Instant.parse("2026-12-01T00:00:00Z"), files, List.of()),
        List.of(states),
        prices,
        "Standard");
  }

  @Test
  @DisplayName("costs and waits per tier add up over storage classes, with the built-in prices")
  void tiersOverSeveralClasses() {
    RetrievalPlan plan =
        plan(
            RetrievalPrices.builtIn(),
            new FileState("full", GIB, "GLACIER", Availability.MUST_REQUEST, null),
            new FileState("inc1", 2 * GIB, "DEEP_ARCHIVE", Availability.MUST_REQUEST, null),
            new FileState("inc2", GIB, "STANDARD_IA", Availability.READABLE, null),
            new FileState("inc3", GIB, "GLACIER", Availability.RESTORING, null));
    List<TierEstimate> tiers = plan.tiers();
    assertThat(tiers)
        .extracting(TierEstimate::tier)
        .containsExactly("Expedited", "Standard", "Bulk");
    TierEstimate expedited = tiers.get(0);
    assertThat(expedited.cost()).isEmpty();
    assertThat(expedited.notOfferedBy()).isEqualTo(Set.of("DEEP_ARCHIVE"));
    TierEstimate standard = tiers.get(1);
    assertThat(standard.cost().orElseThrow())
        .as("GLACIER 1 GiB and one request, DEEP_ARCHIVE 2 GiB and one request")
        .isCloseTo(0.01 + 0.05 / 1000 + 2 * 0.02 + 0.10 / 1000, within(1e-9));
    assertThat(standard.typicalWait())
        .as("the slowest class's")
        .isEqualTo("typically up to 12 hours");
    assertThat(tiers.get(2).cost().orElseThrow())
        .isCloseTo(0 + 2 * 0.0025 + 0.025 / 1000, within(1e-9));
    assertThat(plan.readCost()).isCloseTo(0.01 + 0.001 / 1000, within(1e-9));
    assertThat(plan.transferOutCost()).isCloseTo(5 * 0.09, within(1e-9));
    assertThat(plan.bytes()).isEqualTo(5 * GIB);
    assertThat(plan.in(Availability.RESTORING)).extracting(FileState::name).containsExactly("inc3");
    assertThat(plan.unknownClasses()).isEmpty();
  }

  @Test
  @DisplayName("nothing to request gives no tiers; an unknown class is named, not guessed")
  void nothingToRequest() {
    RetrievalPlan plan =
        plan(
            RetrievalPrices.builtIn(),
            new FileState("full", 10, "STANDARD", Availability.READABLE, null),
            new FileState("inc", 10, "COLDLINE", Availability.READABLE, null));
    assertThat(plan.tiers()).isEmpty();
    assertThat(plan.unknownClasses()).containsExactly("COLDLINE");
  }

  @Test
  @DisplayName("a user's table replaces the built-in one; a broken table is refused by name")
  void userTable() throws Exception {
    Path file =
        Files.writeString(
            temp.resolve("prices.json"),
            "{\"Source\": \"contract 42\", \"Currency\": \"EUR\", \"Classes\": {\"GLACIER\":"
                + " {\"Bulk\": {\"PerGiB\": 1, \"PerThousandRequests\": 1000, \"Wait\": \"soon\"}}}}");
    RetrievalPrices prices = RetrievalPrices.read(file);
    assertThat(prices.source()).isEqualTo("contract 42");
    assertThat(prices.currency()).isEqualTo("EUR");
    RetrievalPlan plan =
        plan(prices, new FileState("full", GIB, "GLACIER", Availability.MUST_REQUEST, null));
    assertThat(plan.tiers().get(2).cost().orElseThrow()).isCloseTo(2.0, within(1e-9));
    assertThat(plan.tiers().get(2).typicalWait()).isEqualTo("soon");
    assertThat(plan.tiers().get(1).notOfferedBy()).containsExactly("GLACIER");

    assertThatThrownBy(() -> RetrievalPrices.read(temp.resolve("missing.json")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("price table " + temp.resolve("missing.json") + " does not exist");
    Path notJson = Files.writeString(temp.resolve("bad.json"), "{\"Classes\": ");
    assertThatThrownBy(() -> RetrievalPrices.read(notJson))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("price table " + notJson + " is not readable JSON");
    Path noClasses = Files.writeString(temp.resolve("empty.json"), "{}");
    assertThatThrownBy(() -> RetrievalPrices.read(noClasses))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"Classes\" must be an object of storage classes");
  }
}
