package org.periodicbackups.core.destination;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * Where the files of a setup go, with each destination opened (a client is made, no request is
 * sent) so that its options are checked now and its {@link BackupDestination#location() location}
 * can be shown: what {@code pbk setup}, {@code pbk destinations} and {@code pbk status} print.
 *
 * @param resolved the destinations chosen by the precedence rule
 * @param locations the location of every configured provider, by provider name, the ignored ones
 *     included
 * @param unused warnings: sentences about {@code Destinations} entries of providers that the setup
 *     does not configure, so that their options are not used, and about what a destination could
 *     not check with its store
 */
public record DestinationReport(
    ResolvedDestinations resolved,
    Map<String, Map<String, String>> locations,
    List<String> unused) {

  /** Copies the collections. */
  public DestinationReport {
    requireNonNull(resolved, "resolved is null");
    locations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(locations));
    unused = List.copyOf(unused);
  }

  /**
   * Resolves the context's setup, opens every provider it configures and runs each destination's
   * {@link BackupDestination#checkSetup() check} (an S3 bucket that is to lock files must have
   * Object Lock enabled).
   *
   * @throws ConfigurationException listing every problem: of the resolution, and of each provider's
   *     options (unknown names, invalid values, missing fields)
   * @throws IOException if a setting (a credential) cannot be read
   */
  public static DestinationReport of(DestinationRegistry registry, DestinationContext context)
      throws IOException {
    PeriodicBackupSetup setup = context.setup();
    ResolvedDestinations resolved = new DestinationResolver(registry).resolve(setup);
    Map<String, Map<String, String>> locations = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> unused = new ArrayList<>();
    for (DestinationProvider provider : registry.providers()) {
      if (!provider.isConfiguredBy(setup)) {
        if (setup.destinations().containsKey(provider.name())) {
          unused.add(
              "Destinations."
                  + provider.name()
                  + " is not used: the setup does not configure "
                  + provider.name()
                  + " (set "
                  + provider.configuredBy()
                  + ")");
        }
        continue;
      }
      try (BackupDestination destination = provider.create(context)) {
        locations.put(provider.name(), destination.location());
        unused.addAll(destination.checkSetup());
      } catch (ConfigurationException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return new DestinationReport(resolved, locations, unused);
  }

  /** The location of the provider named {@code name}, if it is configured. */
  public Optional<Map<String, String>> locationOf(String name) {
    return Optional.ofNullable(locations.get(name));
  }
}
