package org.periodicbackups.api.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known name a typo was meant to be, by case-insensitive edit distance, for "did you mean
 * …?" hints in configuration errors (setup fields, destination options).
 */
public final class ClosestName {
  private ClosestName() {}

  /**
   * The known name closest to {@code unknown}, if it is close enough to be a typo: at most two
   * edits, or a third of the name's length for long names.
   */
  public static Optional<String> of(String unknown, Collection<String> known) {
    String typed = unknown.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(typed, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best == null || bestDistance > Math.max(2, best.length() / 3)) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
