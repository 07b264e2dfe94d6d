package org.periodicbackups.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.periodicbackups.core.dump.DumpCodec;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.restore.ChainRestorer;

/**
 * The command line of {@link E2EBenchmark}, {@code --name=value} arguments (a bare {@code --name}
 * is {@code true}); see its class comment for the names and defaults.
 *
 * @param restoreBatches restore batch limits to compare: operations and bytes per batch
 */
record E2EOptions(
    Path work,
    int docs,
    long seed,
    int threads,
    List<long[]> restoreBatches,
    List<DumpCompression> compressions,
    boolean restic,
    boolean s3,
    boolean keep) {

  static E2EOptions parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      options.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    Path work = Path.of(options.getOrDefault("work", "bench-work"));
    int docs = Integer.parseInt(options.getOrDefault("docs", "200000"));
    long seed = Long.parseLong(options.getOrDefault("seed", "42"));
    int threads =
        Integer.parseInt(
            options.getOrDefault("threads", String.valueOf(DumpCompression.defaultThreads())));
    // Restore batch limits, operations:MiB per batch; more than one compares them.
    List<long[]> restoreBatches = new ArrayList<>();
    for (String b :
        options
            .getOrDefault(
                "restore-batches",
                ChainRestorer.DEFAULT_BATCH_OPERATIONS
                    + ":"
                    + (ChainRestorer.DEFAULT_BATCH_BYTES >> 20))
            .split(",")) {
      String[] parts = b.split(":");
      restoreBatches.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]) << 20});
    }
    List<DumpCompression> compressions = new ArrayList<>();
    for (String c : options.getOrDefault("codecs", "gzip:6,gzip:1,zstd:3,zstd:1").split(",")) {
      String[] parts = c.split(":");
      compressions.add(
          new DumpCompression(
              DumpCodec.named(parts[0]).orElseThrow(), Integer.parseInt(parts[1]), threads));
    }
    return new E2EOptions(
        work,
        docs,
        seed,
        threads,
        restoreBatches,
        compressions,
        Boolean.parseBoolean(options.getOrDefault("restic", "false")),
        Boolean.parseBoolean(options.getOrDefault("s3", "true")),
        Boolean.parseBoolean(options.getOrDefault("keep", "false")));
  }
}
