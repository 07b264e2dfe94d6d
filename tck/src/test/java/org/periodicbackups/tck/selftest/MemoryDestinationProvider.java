package org.periodicbackups.tck.selftest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * The {@code tck-memory} provider, registered in the test {@code META-INF/services}: configured by
 * a {@code Destinations} entry with options {@code prefix}, {@code flaw} and {@code secret}.
 */
public final class MemoryDestinationProvider implements DestinationProvider {
  static final String NAME = "tck-memory";

  /** Files by prefix: a destination created again for a prefix sees what was stored there. */
  private static final Map<String, FlawedDestination.Storage> STORAGE = new ConcurrentHashMap<>();

  /** For {@link java.util.ServiceLoader}. */
  public MemoryDestinationProvider() {}

  /** A setup for this provider with the given options. */
  static PeriodicBackupSetup setup(
      String prefix, FlawedDestination.Flaw flaw, String secret, int pageSize) {
    Map<String, String> options =
        Map.of(
            "prefix",
            prefix,
            "flaw",
            flaw.name(),
            "secret",
            secret,
            "pageSize",
            String.valueOf(pageSize));
    return PeriodicBackupSetup.forProvider(NAME, options);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isConfiguredBy(PeriodicBackupSetup setup) {
    return setup.destinations().containsKey(NAME);
  }

  @Override
  public BackupDestination create(DestinationContext context) {
    Map<String, String> options = context.setup().destinationOptions(NAME);
    String prefix = options.get("prefix");
    return new FlawedDestination(
        prefix,
        FlawedDestination.Flaw.valueOf(options.get("flaw")),
        options.get("secret"),
        Integer.parseInt(options.get("pageSize")),
        STORAGE.computeIfAbsent(prefix, p -> new FlawedDestination.Storage()));
  }
}
