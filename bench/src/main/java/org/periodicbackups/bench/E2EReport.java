package org.periodicbackups.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The output of {@link E2EBenchmark}: one row per phase, printed as it ends and again in the final
 * table, and the targets, met or missed, printed after the table. Each phase calls {@link
 * #startPhase()} before its timed part, so that CPU time and peak memory are its own.
 */
final class E2EReport {
  static final double MIB = 1024.0 * 1024.0;

  private final MemoryWatch memory;
  private final Dataset dataset;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> targets = new ArrayList<>();

  E2EReport(MemoryWatch memory, Dataset dataset) {
    this.memory = memory;
    this.dataset = dataset;
  }

  /** Starts measuring a phase: CPU time, peak heap and peak RSS count from now on. */
  void startPhase() {
    memory.reset();
  }

  /** Adds and prints the row of a phase that has just ended. */
  void add(String phase, long nanos, double inputMiB, long outputBytes, String note) {
    Row row =
        new Row(
            phase,
            nanos,
            memory.cpuSeconds(),
            MemoryWatch.loadAverage(),
            inputMiB,
            outputBytes,
            memory.peakHeap(),
            MemoryWatch.peakRss(),
            note);
    rows.add(row);
    System.out.println("  " + row.format(dataset));
  }

  /** Adds a target line, printed after the table. */
  void target(String target) {
    targets.add(target);
  }

  /** Prints the table, its legend and the targets. */
  void print() {
    System.out.println();
    System.out.println(Row.HEADER);
    rows.forEach(r -> System.out.println(r.format(dataset)));
    System.out.println();
    System.out.println(
        "docJSON and input in MiB/s (docJSON: the documents' JSON per second of"
            + " the phase; input: the bytes the phase reads: dump JSON for codecs and backups, JSON"
            + " and attachments for the store); output, heap and RSS in MiB; cpu s: this"
            + " process's CPU time; load: 1-minute load average at the end of the phase");
    System.out.println(
        "peak RSS is "
            + (memory.rssReset
                ? "per phase (VmHWM reset through" + " /proc/self/clear_refs)"
                : "since JVM start (VmHWM could not be reset)"));
    targets.forEach(t -> System.out.println("target: " + t));
  }

  /** One line of the table. */
  record Row(
      String phase,
      long nanos,
      double cpuSeconds,
      String load,
      double inputMiB,
      long outputBytes,
      long peakHeap,
      long peakRss,
      String note) {
    static final String HEADER =
        String.format(
            Locale.ROOT,
            "%-44s %8s %7s %5s %9s %8s %8s %8s" + " %6s %6s  %s",
            "phase",
            "seconds",
            "cpu s",
            "load",
            "docs/s",
            "docJSON",
            "input",
            "output",
            "heap",
            "RSS",
            "note");

    String format(Dataset dataset) {
      double s = nanos / 1e9;
      boolean perDoc = inputMiB > 0 && !phase.startsWith("raw scan: att");
      return String.format(
          Locale.ROOT,
          "%-44s %8.3f %7.2f %5s %9s %8s %8s %8s %6.0f %6.0f  %s",
          phase,
          s,
          cpuSeconds,
          load,
          perDoc ? String.format(Locale.ROOT, "%.0f", dataset.documents / s) : "-",
          perDoc ? String.format(Locale.ROOT, "%.1f", dataset.documentJsonBytes / MIB / s) : "-",
          inputMiB > 0 ? String.format(Locale.ROOT, "%.1f", inputMiB / s) : "-",
          outputBytes > 0 ? String.format(Locale.ROOT, "%.1f", outputBytes / MIB) : "-",
          peakHeap / MIB,
          peakRss / MIB,
          note);
    }
  }
}
