package org.periodicbackups.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNameTest {
  private static final List<String> FIELDS =
      List.of("S3BucketName", "S3RemoteFolderName", "IntervalMilliseconds", "Disabled");

  @Test
  void suggestsTheKnownNameATypoWasMeantToBe() {
    assertThat(ClosestName.of("S3BucketNmae", FIELDS)).contains("S3BucketName");
    assertThat(ClosestName.of("intervalmilliseconds", FIELDS)).contains("IntervalMilliseconds");
    assertThat(ClosestName.of("Disable", FIELDS)).contains("Disabled");
  }

  @Test
  void suggestsNothingForANameFarFromEveryKnownOne() {
    assertThat(ClosestName.of("Compression", FIELDS)).isEmpty();
    assertThat(ClosestName.of("x", List.of())).isEmpty();
  }

  @Test
  void allowsMoreEditsForLongNames() {
    // 3 edits: more than 2, within a third of the 20 characters of IntervalMilliseconds.
    assertThat(ClosestName.of("IntervlMiliseconds_", FIELDS)).contains("IntervalMilliseconds");
    assertThat(ClosestName.of("Dsbld", FIELDS)).isEmpty();
  }

  @Test
  void distanceCountsInsertionsDeletionsAndSubstitutions() {
    assertThat(ClosestName.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(ClosestName.distance("", "abc")).isEqualTo(3);
    assertThat(ClosestName.distance("same", "same")).isZero();
  }
}
