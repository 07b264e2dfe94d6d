package org.periodicbackups.tck.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.periodicbackups.tck.selftest.KitRun.Outcome;

/**
 * Runs the kit on memory destinations with one deliberate bug each and checks that exactly the
 * expected rules fail, with their ids in the messages; correct destinations pass every rule.
 */
class KitSelfTest {
  /**
   * Tests per run: 5 R + 38 S (with 18 parameterized) + 5 A + 5 C + 3 L + 5 P and N + 6 K + 11 T +
   * 5 F.
   */
  private static final int TESTS = 89;

  /** Every failure names a rule: its own, or I1.2 when only the cleanup after it failed. */
  private static void assertFailuresNameTheirRule(KitRun run) {
    for (Outcome failed : run.with(Status.FAILED)) {
      assertThat(failed.rulesOfMessage())
          .as("rule ids in the failure of '%s': %s", failed.displayName(), failed.message())
          .containsAnyOf(failed.ruleOfName(), "I1.2");
    }
  }

  private static Set<String> skippedRules(KitRun run) {
    Set<String> ids = new TreeSet<>();
    for (Outcome skipped : run.with(Status.ABORTED)) {
      assertThat(skipped.message())
          .as("the skip message of '%s' names its rule id", skipped.displayName())
          .contains(skipped.ruleOfName() + " skipped: ");
      ids.add(skipped.ruleOfName());
    }
    return ids;
  }

  @Test
  void aCorrectDestinationPassesEveryRule() {
    KitRun run = KitRun.of(MemorySubjects.Correct.class);
    assertThat(run.outcomes).hasSize(TESTS);
    assertThat(run.with(Status.FAILED)).as("failures").isEmpty();
    assertThat(skippedRules(run)).containsExactly("K2.1", "K2.2", "K3.2");
  }

  @Test
  void aCorrectColdDestinationPassesEveryRuleByWaiting() {
    KitRun run = KitRun.of(MemorySubjects.Cold.class);
    assertThat(run.outcomes).hasSize(TESTS);
    assertThat(run.with(Status.FAILED)).as("failures").isEmpty();
    assertThat(skippedRules(run))
        .containsExactly(
            "C1.5", "F1.2", "F1.3", "F1.4", "K1.1", "K1.2", "K3.2", "L1.3", "T1.3", "T2.2");
  }

  static Stream<Arguments> flawedDestinations() {
    List<String> wholeFilesRead =
        List.of(
            "A1.5", "C1.1", "C1.2", "C1.3", "C1.4", "C1.5", "K1.1", "K1.2", "L1.1", "L1.2", "N1.1",
            "P1.1", "P1.3", "S2.2", "S2.3", "S2.4", "S2.5", "S4.3", "S5.1", "S5.4", "S6.1", "S6.2",
            "S6.3", "S7.1", "S7.2", "S8.1");
    Set<String> damagedBackups = new TreeSet<>(wholeFilesRead);
    // Every backup file read back is damaged or missing, so every restore fails.
    damagedBackups.addAll(
        List.of(
            "T1.1", "T1.2", "T1.3", "T1.4", "T1.5", "T1.6", "T1.7", "T1.8", "F1.1", "F1.2", "F1.3",
            "F1.4", "F1.5", "T2.1", "T2.2", "T2.3", "L1.3"));
    Set<String> phantom = new TreeSet<>(damagedBackups);
    phantom.addAll(List.of("P1.4", "S2.1", "S5.2", "S5.3")); // the empty file and listings too
    return Stream.of(
        Arguments.of(MemorySubjects.DropsLastByte.class, damagedBackups),
        Arguments.of(
            MemorySubjects.WrongOrder.class,
            // every rule that compares a listing in order
            Set.of("C1.2", "L1.1", "L1.2", "N1.1", "P1.3", "P1.4", "S5.2", "S5.3")),
        Arguments.of(
            MemorySubjects.IgnoresDeletes.class, Set.of("I1.2", "P1.3", "S3.2", "S4.1", "S4.3")),
        Arguments.of(
            MemorySubjects.StaleAfterOverwrite.class, Set.of("C1.5", "S6.1", "S6.2", "S6.3")),
        Arguments.of(MemorySubjects.PhantomUpload.class, phantom),
        Arguments.of(MemorySubjects.LeaksSecret.class, Set.of("R1.3")),
        Arguments.of(MemorySubjects.ForgetsContinuation.class, Set.of("L1.1", "L1.2", "L1.3")),
        Arguments.of(MemorySubjects.PagesDropPrefix.class, Set.of("L1.2")),
        Arguments.of(MemorySubjects.OpensFirstPrefixMatch.class, Set.of("P1.2")),
        Arguments.of(MemorySubjects.OpensLastPrefixMatch.class, Set.of("P1.1", "P1.2", "P1.3")),
        Arguments.of(MemorySubjects.DeletesByPrefix.class, Set.of("P1.3")),
        Arguments.of(MemorySubjects.ListsExactNameOnly.class, Set.of("P1.4")),
        Arguments.of(MemorySubjects.FoldsCase.class, Set.of("N1.1")),
        Arguments.of(MemorySubjects.NormalizesUnicode.class, Set.of("S7.1", "S7.2")),
        Arguments.of(MemorySubjects.SignedSingleByteRead.class, Set.of("S8.1")),
        Arguments.of(MemorySubjects.WritesInPlace.class, Set.of("C1.5")),
        Arguments.of(MemorySubjects.CreateOverwrites.class, Set.of("W1.2", "W1.5")),
        Arguments.of(MemorySubjects.ReplaceIgnoresTag.class, Set.of("W1.4", "W1.6")),
        Arguments.of(MemorySubjects.CheckThenWrite.class, Set.of("W1.5", "W1.6")),
        Arguments.of(MemorySubjects.ConstantTag.class, Set.of("W1.3", "W1.4", "W1.6")));
  }

  @ParameterizedTest(name = "{0} fails rules {1}")
  @MethodSource("flawedDestinations")
  void aFlawedDestinationFailsTheRulesItBreaks(Class<?> subject, Set<String> expected) {
    KitRun run = KitRun.of(subject);
    assertThat(run.outcomes).hasSize(TESTS);
    assertFailuresNameTheirRule(run);
    assertThat(run.failedRules())
        .as("rules failed by %s", subject.getSimpleName())
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(skippedRules(run)).containsExactly("K2.1", "K2.2", "K3.2");
  }
}
