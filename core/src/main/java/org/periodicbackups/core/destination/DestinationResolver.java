package org.periodicbackups.core.destination;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * Decides which providers receive the files of a setup, by the precedence rule of the original
 * bundle (see {@link #rankRemotes}): exactly one remote destination, plus the local folder when
 * {@code LocalFolderName} is set. Stateless apart from its registry; thread-safe.
 */
public final class DestinationResolver {
  static final String NOTHING_CONFIGURED = "no destination configured: set LocalFolderName,"
      + " S3BucketName, GlacierVaultName or an entry of Destinations";

  /** A remote destination the setup asks for, and the setting that asks for it. */
  private record Candidate(DestinationProvider provider, String configuredBy, boolean thirdParty) {
    String name() {
      return provider.name();
    }
  }

  private final DestinationRegistry registry;

  /** A resolver choosing among the providers of {@code registry}. */
  public DestinationResolver(DestinationRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
  }

  /**
   * The destinations of {@code setup}.
   *
   * @throws ConfigurationException listing every problem: a configured provider whose jar is
   *     missing (naming the known ones and the jar to add), or no destination at all
   */
  public ResolvedDestinations resolve(PeriodicBackupSetup setup) {
    requireNonNull(setup, "setup is null");
    List<String> problems = new ArrayList<>();
    List<Candidate> ranked = rankRemotes(setup, problems);
    Optional<DestinationProvider> localCopy = Optional.empty();
    if (setup.localFolderName() != null) {
      localCopy = builtIn(BuiltInDestinations.FILESYSTEM, "LocalFolderName", problems)
          .map(Candidate::provider);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    if (ranked.isEmpty() && localCopy.isEmpty()) {
      throw new ConfigurationException(NOTHING_CONFIGURED);
    }
    if (ranked.isEmpty()) {
      return new ResolvedDestinations(Optional.empty(), localCopy, List.of());
    }
    Candidate winner = ranked.get(0);
    List<String> ignored = new ArrayList<>();
    for (Candidate loser : ranked.subList(1, ranked.size())) {
      ignored.add(loser.name() + " (" + loser.configuredBy() + ") is ignored because "
          + whyWins(winner, loser));
    }
    return new ResolvedDestinations(Optional.of(winner.provider()), localCopy, ignored);
  }

  /**
   * THE PRECEDENCE RULE: the remote destinations {@code setup} asks for, best first; only the
   * first receives files. The rungs, in order:
   *
   * <ol>
   *   <li>{@code GlacierVaultName} set: provider {@code glacier} (as in the original, Glacier
   *       wins over S3);
   *   <li>{@code S3BucketName} set: provider {@code s3};
   *   <li>third-party providers: every key of {@code Destinations} (which must name a registered
   *       provider) and every other registered non-built-in provider whose
   *       {@link DestinationProvider#isConfiguredBy} is true, by descending
   *       {@link DestinationProvider#precedence()}; on equal precedence the name first in
   *       alphabetical order wins, so the choice never depends on discovery order.
   * </ol>
   *
   * <p>{@code Destinations} keys naming a built-in provider are options of that provider, not a
   * third rung candidate: built-ins are chosen by their own fields.
   */
  private List<Candidate> rankRemotes(PeriodicBackupSetup setup, List<String> problems) {
    List<Candidate> ranked = new ArrayList<>();
    // Rung 1: a Glacier vault.
    if (setup.glacierVaultName() != null) {
      builtIn(BuiltInDestinations.GLACIER, "GlacierVaultName", problems).ifPresent(ranked::add);
    }
    // Rung 2: an S3 bucket.
    if (setup.s3BucketName() != null) {
      builtIn(BuiltInDestinations.S3, "S3BucketName", problems).ifPresent(ranked::add);
    }
    // Rung 3: third-party providers by their declared precedence, ties by name.
    List<Candidate> thirdParty = thirdParty(setup, problems);
    thirdParty.sort(Comparator.comparingInt((Candidate c) -> c.provider().precedence())
        .reversed()
        .thenComparing(Candidate::name));
    ranked.addAll(thirdParty);
    return ranked;
  }

  private Optional<Candidate> builtIn(String name, String field, List<String> problems) {
    Optional<DestinationProvider> provider = registry.find(name);
    if (provider.isEmpty()) {
      problems.add(field + " is set but " + registry.notFound(name));
    }
    return provider.map(p -> new Candidate(p, field, false));
  }

  private List<Candidate> thirdParty(PeriodicBackupSetup setup, List<String> problems) {
    List<Candidate> candidates = new ArrayList<>();
    TreeSet<String> named = new TreeSet<>(setup.destinations().keySet());
    for (String name : named) {
      Optional<DestinationProvider> provider = registry.find(name);
      if (provider.isEmpty()) {
        problems.add("Destinations." + name + ": " + registry.notFound(name));
      } else if (!isBuiltIn(name)) {
        candidates.add(new Candidate(provider.get(), "Destinations." + name, true));
      }
    }
    for (DestinationProvider provider : registry.providers()) {
      if (!isBuiltIn(provider.name()) && !named.contains(provider.name())
          && provider.isConfiguredBy(setup)) {
        candidates.add(new Candidate(provider, "configured by the setup", true));
      }
    }
    return candidates;
  }

  private static boolean isBuiltIn(String name) {
    return BuiltInDestinations.moduleOf(name) != null;
  }

  private static String whyWins(Candidate winner, Candidate loser) {
    if (!winner.thirdParty()) {
      return winner.configuredBy() + " takes precedence";
    }
    int precedence = winner.provider().precedence();
    if (precedence == loser.provider().precedence()) {
      return winner.name() + " takes precedence (both have precedence " + precedence
          + "; ties go to the name first in alphabetical order)";
    }
    return winner.name() + " has a higher precedence (" + precedence + " over "
        + loser.provider().precedence() + ")";
  }
}
