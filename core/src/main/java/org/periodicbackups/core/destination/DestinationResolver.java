package org.periodicbackups.core.destination;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * Decides which providers receive the files of a setup, by the precedence rule of the original
 * bundle (see {@link #rank}): exactly one remote destination, plus the local folder when {@code
 * LocalFolderName} is set. Built-in and third-party providers go the same way: each says whether
 * the setup configures it, what its precedence is and whether it keeps a copy. Stateless apart from
 * its registry; thread-safe.
 */
public final class DestinationResolver {
  static final String NOTHING_CONFIGURED =
      "no destination configured: set LocalFolderName,"
          + " S3BucketName, GlacierVaultName or an entry of Destinations";

  private final DestinationRegistry registry;

  /** A resolver choosing among the providers of {@code registry}. */
  public DestinationResolver(DestinationRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
  }

  /** The providers it chooses among. */
  public DestinationRegistry registry() {
    return registry;
  }

  /**
   * The destinations of {@code setup}.
   *
   * @throws ConfigurationException listing every problem: a provider the setup asks for whose jar
   *     is missing (naming the known ones and the jar to add), or no destination at all
   */
  public ResolvedDestinations resolve(PeriodicBackupSetup setup) {
    requireNonNull(setup, "setup is null");
    List<String> problems = new ArrayList<>();
    setup
        .requestedProviders()
        .forEach(
            (name, field) -> {
              if (registry.find(name).isEmpty()) {
                problems.add(
                    field.startsWith("Destinations.")
                        ? field + ": " + registry.notFound(name)
                        : field
                            + " is set but "
                            + registry.notFound(
                                name,
                                "add the "
                                    + BuiltInDestinations.artifactOf(name)
                                    + " jar to the classpath or the plugins folder"));
              }
            });
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    List<DestinationProvider> remotes = new ArrayList<>();
    List<DestinationProvider> copies = new ArrayList<>();
    for (DestinationProvider provider : registry.providers()) {
      if (provider.isConfiguredBy(setup)) {
        (provider.keepsCopy() ? copies : remotes).add(provider);
      }
    }
    if (remotes.isEmpty() && copies.isEmpty()) {
      throw new ConfigurationException(NOTHING_CONFIGURED);
    }
    List<String> ignored = new ArrayList<>();
    Optional<DestinationProvider> remote = winner(rank(remotes), ignored);
    Optional<DestinationProvider> localCopy = winner(rank(copies), ignored);
    return new ResolvedDestinations(remote, localCopy, ignored);
  }

  /**
   * THE PRECEDENCE RULE: {@code configured} providers best first; only the first receives files. By
   * descending {@link DestinationProvider#precedence()}, which gives the rungs of the original
   * bundle:
   *
   * <ol>
   *   <li>{@code GlacierVaultName} set: provider {@code glacier} (precedence {@value
   *       DestinationProvider#GLACIER_PRECEDENCE}; as in the original, Glacier wins over S3);
   *   <li>{@code S3BucketName} set: provider {@code s3} (precedence {@value
   *       DestinationProvider#S3_PRECEDENCE});
   *   <li>third-party providers (precedence below 1000 by convention) configured by an entry of
   *       {@code Destinations} or by fields of their own.
   * </ol>
   *
   * <p>On equal precedence the name first in alphabetical order wins, so the choice never depends
   * on discovery order.
   */
  static List<DestinationProvider> rank(List<DestinationProvider> configured) {
    List<DestinationProvider> ranked = new ArrayList<>(configured);
    ranked.sort(
        Comparator.comparingInt(DestinationProvider::precedence)
            .reversed()
            .thenComparing(DestinationProvider::name));
    return ranked;
  }

  /** The first of {@code ranked}; each of the others becomes a sentence in {@code ignored}. */
  private static Optional<DestinationProvider> winner(
      List<DestinationProvider> ranked, List<String> ignored) {
    if (ranked.isEmpty()) {
      return Optional.empty();
    }
    DestinationProvider winner = ranked.get(0);
    for (DestinationProvider loser : ranked.subList(1, ranked.size())) {
      ignored.add(
          loser.name()
              + " ("
              + loser.configuredBy()
              + ") is ignored because "
              + whyWins(winner, loser));
    }
    return Optional.of(winner);
  }

  private static String whyWins(DestinationProvider winner, DestinationProvider loser) {
    String named = winner.name() + " (" + winner.configuredBy() + ")";
    int precedence = winner.precedence();
    if (precedence == loser.precedence()) {
      return named
          + " takes precedence (both have precedence "
          + precedence
          + "; ties go to the name first in alphabetical order)";
    }
    return named + " has a higher precedence (" + precedence + " over " + loser.precedence() + ")";
  }
}
