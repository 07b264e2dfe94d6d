package org.periodicbackups.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StoredNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz",
        "a",
        "a/b/c",
        "names with spaces/ok",
        "ünïcödé/файл",
        "a.b/..c/d.."
      })
  void acceptsRelativeNames(String name) {
    assertThat(StoredNames.isSafe(name)).isTrue();
    assertThat(StoredNames.requireSafe(name)).isEqualTo(name);
  }

  @ParameterizedTest(name = "''{0}'' is refused: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|it is empty",
        "/etc/passwd|it is absolute",
        "a\\b|it contains a backslash",
        "a//b|it has an empty, '.' or '..' segment",
        "a/../b|it has an empty, '.' or '..' segment",
        "./a|it has an empty, '.' or '..' segment",
        "a/|it has an empty, '.' or '..' segment",
        "c:/windows|it contains ':'"
      })
  void refusesNamesThatCouldEscape(String name, String problem) {
    assertThat(StoredNames.isSafe(name)).isFalse();
    assertThatThrownBy(() -> StoredNames.requireSafe(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsafe file name '" + name + "': " + problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\u0000b", "a\tb"})
  void refusesControlCharactersAndShowsThemEscaped(String name) {
    assertThatThrownBy(() -> StoredNames.requireSafe(name))
        .hasMessageContaining("it contains a control character")
        .hasMessageContaining("\\u00");
  }

  @ParameterizedTest
  @ValueSource(ints = {256, 1000})
  void refusesSegmentsLongerThan255Characters(int length) {
    assertThat(StoredNames.isSafe("a/" + "x".repeat(length))).isFalse();
    assertThat(StoredNames.isSafe("a/" + "x".repeat(255))).isTrue();
  }
}
