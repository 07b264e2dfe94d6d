package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArchiveDescriptionTest {

  @Test
  @DisplayName("the name and metadata round-trip through printable ASCII, non-ASCII encoded")
  void roundTripsNameAndMetadata() {
    String name = "café/0001;x=1%2 ü.full.json.gz";
    String description = ArchiveDescription.of(name, TestFiles.METADATA);
    assertThat(description)
        .hasSizeLessThanOrEqualTo(1024)
        .matches("[\\x20-\\x7e]+")
        .startsWith("pbk1;name=caf%C3%A9/0001%3Bx%3D1%252%20%C3%BC.full.json.gz;db=shop;")
        .contains(";type=Incremental;from=10;to=20;sha256=abab");
    assertThat(ArchiveDescription.nameOf(description)).isEqualTo(name);
    assertThat(ArchiveDescription.parse(description))
        .containsEntry("db", "shop")
        .containsEntry("to", "20");
  }

  @Test
  @DisplayName("metadata is dropped when it would not fit; a name that cannot fit is refused")
  void staysWithinTheLimit() {
    String longName = "a/".repeat(460) + "b";
    String description = ArchiveDescription.of(longName, TestFiles.METADATA);
    assertThat(description).isEqualTo("pbk1;name=" + longName);
    assertThat(ArchiveDescription.of("ü".repeat(200), TestFiles.METADATA)).isNull();
  }

  @Test
  @DisplayName("descriptions of other tools, or damaged ones, carry no name")
  void foreignDescriptionsHaveNoName() {
    assertThat(ArchiveDescription.nameOf("my holiday photos")).isNull();
    assertThat(ArchiveDescription.nameOf(null)).isNull();
    assertThat(ArchiveDescription.nameOf("pbk1;name=bad%G1")).isNull();
  }

  @Test
  @DisplayName("an inventory yields names, sizes and the newest archive per name")
  void readsInventory() throws Exception {
    String json =
        "{\"VaultARN\":\"arn:aws:glacier:us-east-1:1:vaults/v\",\"ArchiveList\":["
            + archive("old", "pbk1;name=shop/1.gz", "2026-01-01T00:00:00Z", 3, "aa")
            + ","
            + archive("new", "pbk1;name=shop/1.gz", "2026-01-01T10:00:00Z", 4, "bb")
            + ","
            + archive("x", "photos", "2026-01-01T00:00:00Z", 9, "cc")
            + "]}";
    InventoryReader.Result result =
        InventoryReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(result.archives()).isEqualTo(3);
    assertThat(result.foreign()).isEqualTo(1);
    assertThat(result.entries()).containsOnlyKeys("shop/1.gz");
    assertThat(result.entries().get("shop/1.gz"))
        .isEqualTo(new Catalogue.Entry("new", 4, "bb", "2026-01-01T10:00:00Z"));
  }

  private static String archive(
      String id, String description, String created, long size, String treeHash) {
    return "{\"ArchiveId\":\""
        + id
        + "\",\"ArchiveDescription\":\""
        + description
        + "\",\"CreationDate\":\""
        + created
        + "\",\"Size\":"
        + size
        + ",\"SHA256TreeHash\":\""
        + treeHash
        + "\"}";
  }
}
