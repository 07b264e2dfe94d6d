package org.periodicbackups.examples.destination;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlatNamesTest {
  @Test
  void flattensFoldersAndKeepsPlainCharacters() {
    assertThat(FlatNames.encode("shop/20261128T144300.123Z/000000-x.full.json.gz"))
        .isEqualTo("shop%2F20261128T144300.123Z%2F000000-x.full.json.gz");
  }

  @Test
  void aLeadingDotIsEncodedSoStoredFilesAreNeverHidden() {
    assertThat(FlatNames.encode(".profile")).isEqualTo("%2Eprofile");
    assertThat(FlatNames.decode(".upload-123.tmp")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b+c", "100%25", "it's", "café/日本.gz", ".x/.y", "a%2Fb"})
  void decodeInvertsEncode(String name) {
    assertThat(FlatNames.decode(FlatNames.encode(name))).isEqualTo(name);
  }
}
