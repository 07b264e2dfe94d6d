package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.StoredFile;

class CatalogueTest {
  private static final String T1 = "2026-01-01T00:00:00Z";
  private static final String T2 = "2026-01-02T00:00:00Z";

  @Test
  @DisplayName("an inventory completes known archives and adds unknown names, sorted by name")
  void inventoryCompletesAndAdds() {
    Catalogue catalogue = new Catalogue();
    catalogue.put("b", new Catalogue.Entry("id-b", Catalogue.UNKNOWN_SIZE, null, ""));
    assertThat(catalogue.list("")).containsExactly(new StoredFile("b", 0, "id-b"));

    catalogue.mergeInventory(
        Map.of(
            "b",
            new Catalogue.Entry("id-b", 7, "h", T1),
            "a",
            new Catalogue.Entry("id-a", 3, "h", T1)));

    assertThat(catalogue.inventoryLoaded()).isTrue();
    assertThat(catalogue.list(""))
        .containsExactly(new StoredFile("a", 3, "id-a"), new StoredFile("b", 7, "id-b"));
  }

  @Test
  @DisplayName("an upload made here wins over an older inventory archive; a newer one wins")
  void newestArchiveWins() {
    Catalogue catalogue = new Catalogue();
    catalogue.put("x", new Catalogue.Entry("mine", 1, "h", T2));
    catalogue.mergeInventory(Map.of("x", new Catalogue.Entry("older", 1, "h", T1)));
    assertThat(catalogue.get("x")).get().extracting(Catalogue.Entry::archiveId).isEqualTo("mine");
    catalogue.mergeInventory(
        Map.of("x", new Catalogue.Entry("newer", 1, "h", "2026-01-03T00:00:00Z")));
    assertThat(catalogue.get("x")).get().extracting(Catalogue.Entry::archiveId).isEqualTo("newer");
  }

  @Test
  @DisplayName("an archive deleted here is not brought back by an inventory that still shows it")
  void deletedArchivesStayDeleted() {
    Catalogue catalogue = new Catalogue();
    catalogue.put("x", new Catalogue.Entry("gone", 1, "h", T1));
    catalogue.remove("x");
    catalogue.mergeInventory(Map.of("x", new Catalogue.Entry("gone", 1, "h", T1)));
    assertThat(catalogue.list("")).isEmpty();
  }
}
