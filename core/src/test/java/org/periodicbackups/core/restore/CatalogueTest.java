package org.periodicbackups.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.StoredFile;

class CatalogueTest {
  private static final String A = "shop/20261201T100000.000Z/";
  private static final String B = "shop/20261201T100500.000Z/";

  private static List<StoredFile> listing(String... names) {
    List<StoredFile> files = new ArrayList<>();
    for (String name : names) {
      files.add(new StoredFile(name, 10, name));
    }
    return files;
  }

  private static final String[] INTERLEAVED = {
    A + "000000-20261201T100000.000Z.full.json.gz",
    A + "000001-20261201T101000.000Z.incremental.json.gz",
    B + "000000-20261201T100500.000Z.full.json.gz",
    B + "000001-20261201T102000.000Z.incremental.json.gz",
    A + "000002-20261201T103000.000Z.incremental.json.gz",
  };

  @Test
  void anOlderChainGrowingAfterANewerOneContinuedLooksLikeTwoWriters() {
    assertThat(Catalogue.of(listing(INTERLEAVED), null).twoWriters("shop"))
        .get()
        .asString()
        .contains("two writers at once")
        .contains(A + "000002-20261201T103000.000Z.incremental.json.gz")
        .contains(B + "000001-20261201T102000.000Z.incremental.json.gz")
        .contains("conditional writes");
  }

  @Test
  void aKilledFullBackupAndChainsInTurnAreNoSign() {
    // A full whose run died after its upload: a newer chain of one file, the older one goes on.
    assertThat(
            Catalogue.of(
                    listing(
                        A + "000000-20261201T100000.000Z.full.json.gz",
                        B + "000000-20261201T100500.000Z.full.json.gz",
                        A + "000001-20261201T101000.000Z.incremental.json.gz"),
                    null)
                .twoWriters("shop"))
        .isEmpty();
    assertThat(
            Catalogue.of(
                    listing(
                        A + "000000-20261201T100000.000Z.full.json.gz",
                        A + "000001-20261201T100100.000Z.incremental.json.gz",
                        B + "000000-20261201T100500.000Z.full.json.gz",
                        B + "000001-20261201T101000.000Z.incremental.json.gz"),
                    null)
                .twoWriters("shop"))
        .isEmpty();
  }

  @Test
  void aLeaseObjectIsNoBackupFileAndLeasedDatabasesAreNotWarnedAbout() {
    List<StoredFile> files = listing(INTERLEAVED);
    files.add(new StoredFile("shop/pbk-lease.json", 200, "shop/pbk-lease.json"));
    Catalogue catalogue = Catalogue.of(files, null);
    assertThat(catalogue.leased).containsExactly("shop");
    assertThat(catalogue.ignoredNames).isEmpty();
    assertThat(catalogue.twoWriters("shop")).isEmpty();
    Catalogue inFolder =
        Catalogue.of(
            listing(
                "pbk-lease.json", "20261201T100000.000Z/000000-20261201T100000.000Z.full.json.gz"),
            "shop");
    assertThat(inFolder.leased).containsExactly("shop");
    assertThat(inFolder.databases).containsOnlyKeys("shop");
  }
}
