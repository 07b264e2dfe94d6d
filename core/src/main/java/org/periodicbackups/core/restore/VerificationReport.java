package org.periodicbackups.core.restore;

import java.util.List;

/**
 * The verification of every chain of every database at a destination.
 *
 * @param chains one report per chain, by database then chain start
 * @param ignoredNames listed names that are not backup files
 */
public record VerificationReport(List<ChainReport> chains, List<String> ignoredNames) {
  public VerificationReport {
    chains = List.copyOf(chains);
    ignoredNames = List.copyOf(ignoredNames);
  }

  /** Whether at least one chain was found and every chain is sound. */
  public boolean ok() {
    return !chains.isEmpty() && chains.stream().allMatch(ChainReport::ok);
  }

  /** The problems found, one per broken chain. */
  public List<String> problems() {
    return chains.stream().filter(c -> !c.ok()).map(ChainReport::problem).toList();
  }
}
