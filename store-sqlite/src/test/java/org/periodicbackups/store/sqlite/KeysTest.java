package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.periodicbackups.api.model.SystemDocuments;

class KeysTest {
  @Test
  void notSystemConditionComparesTheKeysPrefixWithTheSystemPrefix() {
    assertThat(Keys.NOT_SYSTEM)
        .isEqualTo(
            "substr(key, 1, "
                + SystemDocuments.PREFIX.length()
                + ") <> '"
                + SystemDocuments.PREFIX
                + "'");
  }

  @Test
  void sqlTextDoublesQuotes() {
    assertThat(Keys.sqlText("it's")).isEqualTo("'it''s'");
  }
}
