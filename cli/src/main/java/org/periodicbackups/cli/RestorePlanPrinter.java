package org.periodicbackups.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.ColdStorage.Availability;
import org.periodicbackups.api.destination.ColdStorage.FileState;
import org.periodicbackups.core.restore.RestorePlan;
import org.periodicbackups.core.restore.RetrievalPlan;
import org.periodicbackups.core.restore.RetrievalPrices;

/**
 * {@code --plan} of {@code smuggler in} and {@code verify}: what a restore reads and what getting
 * it back from cold storage takes and costs, from listings and metadata only.
 */
final class RestorePlanPrinter {
  private final RetrievalPrices prices;
  private final boolean ownPrices;
  private final PrintStream out;

  RestorePlanPrinter(Path pricesFile, PrintStream out) throws IOException {
    this.prices = pricesFile == null ? RetrievalPrices.builtIn() : RetrievalPrices.read(pricesFile);
    this.ownPrices = pricesFile != null;
    this.out = out;
  }

  /** Prints the plan of restoring {@code plan} from {@code source}. */
  void print(BackupDestination source, RestorePlan plan) throws IOException {
    RetrievalPlan retrieval = RetrievalPlan.of(source, plan, prices);
    out.printf(
        "restore plan: '%s' from %s, chain started %s: %d file(s), %s, up to %s%n",
        plan.database(),
        source.description(),
        plan.chainStart(),
        plan.files().size(),
        size(retrieval.bytes()),
        plan.last().name() == null ? plan.last().storedName() : plan.last().name().fileName());
    int width = plan.files().stream().mapToInt(f -> f.storedName().length()).max().orElse(4);
    out.printf("  %-" + width + "s  %10s  %-19s  %s%n", "file", "size", "storage class", "state");
    for (FileState state : retrieval.states()) {
      out.printf(
          "  %-" + width + "s  %10s  %-19s  %s%n",
          state.name(),
          size(state.size()),
          state.storageClass(),
          describe(state));
    }
    int request = retrieval.in(Availability.MUST_REQUEST).size();
    out.printf(
        "readable now: %d, restored already: %d, being restored: %d, to request: %d%n",
        retrieval.in(Availability.READABLE).size(),
        retrieval.in(Availability.RESTORED).size(),
        retrieval.in(Availability.RESTORING).size(),
        request);
    if (request > 0) {
      out.printf(
          "retrieval of the %d file(s) to request, by tier (this destination requests %s;"
              + " set RestoreTier or RetrievalTier to change it):%n",
          request, retrieval.tier());
      for (RetrievalPlan.TierEstimate tier : retrieval.tiers()) {
        out.printf(
            "  %-10s %-28s %s%s%n",
            tier.tier(),
            tier.typicalWait(),
            tier.cost().map(this::money).orElse("not offered for " + tier.notOfferedBy()),
            tier.tier().equalsIgnoreCase(retrieval.tier()) ? "   <- requested" : "");
      }
    } else if (retrieval.in(Availability.RESTORING).isEmpty()) {
      out.println("no retrieval needed: the restore can start at once");
    }
    out.printf(
        "reading the files that need no request: %s; data transfer out, if the restore runs"
            + " outside the cloud: %s%n",
        money(retrieval.readCost()), money(retrieval.transferOutCost()));
    if (!retrieval.unknownClasses().isEmpty()) {
      out.printf("the price table has no price for %s: not counted%n", retrieval.unknownClasses());
    }
    out.printf(
        "prices: %s%s%n",
        prices.source(), ownPrices ? "" : " (the built-in table; --prices <file> gives your own)");
  }

  /** The closing line: the plan changed nothing. */
  void printNothingChanged() {
    out.println("this plan read no backup data, requested nothing and changed nothing");
  }

  private static String describe(FileState state) {
    return switch (state.availability()) {
      case READABLE -> "readable now";
      case RESTORED ->
          "restored"
              + (state.readableUntil() == null ? "" : ", readable until " + state.readableUntil());
      case RESTORING -> "being restored (the request is reused)";
      case MUST_REQUEST -> "must be requested";
    };
  }

  private String money(double amount) {
    return String.format(Locale.ROOT, "%.4f %s", amount, prices.currency());
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
