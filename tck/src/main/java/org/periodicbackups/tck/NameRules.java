package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.StoredFile;

/**
 * P and N: {@code open}, {@code delete} and {@code list} treat a name as a name. {@code p/1} is a
 * string prefix of {@code p/10}, and {@code shop/…} of {@code shop2/…} once the slash is dropped: a
 * destination that looks names up by prefix reads, or deletes, the wrong file. Names that differ
 * only in case are different files.
 */
abstract class NameRules extends RuleGroup {
  private static final List<String> PREFIXED =
      List.of("p/1", "p/10", "p/100", "shop/000001.json.gz", "shop2/000001.json.gz");

  NameRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  private void uploadAll(String rule, List<String> names) throws Exception {
    for (String name : names) {
      f().upload(rule, name, f().data(name, 100 + name.length()));
    }
  }

  private void assertReadsOwnBytes(String rule, List<String> names) {
    for (String name : names) {
      assertSameBytes(rule, name, f().read(rule, name), f().data(name, 100 + name.length()));
    }
  }

  private void assertNotFound(String rule, String name, String why) {
    Throwable thrown = catchThrowable(() -> f().destination.open(name).close());
    assertThat(thrown)
        .withFailMessage(
            "%s: open('%s') must throw BackupFileNotFoundException (%s), but %s",
            rule, name, why, thrown == null ? "it returned a stream" : "it threw " + thrown)
        .isInstanceOf(BackupFileNotFoundException.class);
  }

  private List<String> listed(String rule, String prefix, int expected)
      throws InterruptedException {
    return f().awaitListing(rule, prefix, l -> l.size() == expected).stream()
        .map(StoredFile::name)
        .toList();
  }

  @Test
  @DisplayName("P1.1 open reads the named file when longer names start with it")
  void openReadsTheNamedFile() throws Exception {
    uploadAll("P1.1", PREFIXED);
    f().awaitListing("P1.1", "", l -> l.size() == PREFIXED.size());
    assertReadsOwnBytes("P1.1", PREFIXED);
  }

  @Test
  @DisplayName("P1.2 open of a missing name that starts other names is not found")
  void openOfAPrefixIsNotFound() throws Exception {
    uploadAll("P1.2", List.of("p/10", "p/11", "shop/000001.json.gz"));
    f().awaitListing("P1.2", "", l -> l.size() == 3);
    assertNotFound("P1.2", "p/1", "only p/10 and p/11 exist");
    assertNotFound("P1.2", "shop", "it is the folder of shop/000001.json.gz, not a file");
    assertNotFound("P1.2", "sho", "only shop/000001.json.gz exists");
  }

  @Test
  @DisplayName("P1.3 delete removes the named file only, never the names it starts")
  void deleteRemovesTheNamedFileOnly() throws Exception {
    uploadAll("P1.3", PREFIXED);
    f().awaitListing("P1.3", "", l -> l.size() == PREFIXED.size());
    for (String name : List.of("p/1", "shop", "sho")) {
      assertThat(catchThrowable(() -> f().destination.delete(name)))
          .as("P1.3 delete('%s') (a missing name does nothing)", name)
          .isNull();
    }
    List<String> kept = PREFIXED.subList(1, PREFIXED.size());
    assertThat(listed("P1.3", "", kept.size()))
        .as("P1.3 list('') after delete('p/1'), delete('shop'), delete('sho')")
        .containsExactlyElementsOf(kept);
    assertReadsOwnBytes("P1.3", kept);
  }

  @Test
  @DisplayName("P1.4 listing a name lists it and every longer name it starts")
  void listingANameIsAPrefixListing() throws Exception {
    uploadAll("P1.4", PREFIXED);
    f().awaitListing("P1.4", "", l -> l.size() == PREFIXED.size());
    assertThat(listed("P1.4", "p/1", 3))
        .as("P1.4 list('p/1')")
        .containsExactly("p/1", "p/10", "p/100");
    assertThat(listed("P1.4", "p/10", 2)).as("P1.4 list('p/10')").containsExactly("p/10", "p/100");
    assertThat(listed("P1.4", "shop/", 1))
        .as("P1.4 list('shop/')")
        .containsExactly("shop/000001.json.gz");
    assertThat(listed("P1.4", "shop", 2))
        .as("P1.4 list('shop')")
        .containsExactly("shop/000001.json.gz", "shop2/000001.json.gz");
  }

  @Test
  @DisplayName("N1.1 names that differ only in case are different files")
  void caseIsSignificant() throws Exception {
    List<String> names =
        List.of("CASE.json.gz", "Shop/000001.json.gz", "case.json.gz", "shop/000001.json.gz");
    uploadAll("N1.1", names);
    assertThat(listed("N1.1", "", names.size()))
        .withFailMessage(
            "N1.1: list('') after uploading %s shows %s: the store folds case (a"
                + " case-insensitive file system such as the default of macOS or Windows, or a"
                + " store that lower-cases keys), so databases named 'Shop' and 'shop' would"
                + " share one chain",
            names, listed("N1.1", "", names.size()))
        .containsExactlyElementsOf(names);
    assertReadsOwnBytes("N1.1", names);
  }
}
