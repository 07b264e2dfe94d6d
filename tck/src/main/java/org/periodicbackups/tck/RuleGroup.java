package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

/** The base of the rule groups: access to the running test's {@link Fixture}, shared checks. */
abstract class RuleGroup {
  private final DestinationCompatibilityKit kit;

  RuleGroup(DestinationCompatibilityKit kit) {
    this.kit = kit;
  }

  final Fixture f() {
    return kit.fixture();
  }

  final DestinationCompatibilityKit kit() {
    return kit;
  }

  /**
   * Fails rule {@code rule} unless {@code actual} equals {@code expected}; the message gives sizes
   * and the first differing byte instead of dumping megabytes.
   */
  final void assertSameBytes(String rule, String name, byte[] actual, byte[] expected) {
    int mismatch = Arrays.mismatch(actual, expected);
    assertThat(mismatch)
        .withFailMessage(
            "%s: '%s' read %d bytes, expected %d; first difference at byte %d"
                + " (content seed %d)",
            rule, name, actual.length, expected.length, mismatch, kit.seed())
        .isEqualTo(-1);
  }
}
