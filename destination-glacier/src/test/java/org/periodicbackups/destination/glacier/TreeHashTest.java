package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tree hash against AWS's documented algorithm (Glacier developer guide, "Computing
 * checksums"): built by hand from SHA-256 for the documented shapes, and against fixed vectors
 * computed by an independent implementation (Python hashlib).
 */
class TreeHashTest {
  private static final int MIB = TreeHash.CHUNK_SIZE;

  @Test
  @DisplayName("data of at most 1 MiB hashes to its plain SHA-256")
  void smallDataIsPlainSha256() throws Exception {
    for (byte[] data : List.of(new byte[0], "hello world".getBytes(), new byte[MIB])) {
      assertThat(TreeHash.hexOf(data)).isEqualTo(sha256Hex(data));
    }
    assertThat(TreeHash.hexOf(new byte[MIB]))
        .isEqualTo("30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58");
  }

  @Test
  @DisplayName("3 MiB: the hash of (hash(h0 + h1) + h2), the odd leaf promoted")
  void threeChunksPromoteTheOddLeaf() throws Exception {
    byte[] data = new byte[3 * MIB];
    byte[] h0 = sha256(new byte[MIB]);
    byte[] expected = sha256(concat(sha256(concat(h0, h0)), h0));
    assertThat(TreeHash.hexOf(data))
        .isEqualTo(HexFormat.of().formatHex(expected))
        .isEqualTo("ca6cc129a4514ec765de86a4e7a49adf44842c9cac213c383ebe4071271bdf21");
  }

  @Test
  @DisplayName("fixed vectors of an independent implementation, incl. the guide's 6.5 MiB shape")
  void matchesIndependentVectors() {
    assertThat(TreeHash.hexOf(TestFiles.pattern(7 * MIB / 2, 7)))
        .isEqualTo("422ee3b6f1d333649eb6dc0240122d37b70bb468d42418678371279dfa0119fe");
    assertThat(TreeHash.hexOf(TestFiles.pattern(13 * MIB / 2, 7)))
        .isEqualTo("6fc4d8ad8ecc22fbf0ac660a58411cf4892593862a9a31bab040264b99949386");
    assertThat(TreeHash.hexOf(TestFiles.pattern(MIB + 1, 7)))
        .isEqualTo("bdbb3466665ed8cbe8fc26d6cd3ee2d7c88f427bef2982246317b76917649519");
  }

  @Test
  @DisplayName("feeding odd-sized pieces gives the same hash as one piece")
  void incrementalUpdatesAgree() throws Exception {
    byte[] data = TestFiles.pattern(13 * MIB / 2, 3);
    TreeHash hash = new TreeHash();
    int step = 77_777;
    for (int off = 0; off < data.length; off += step) {
      hash.update(data, off, Math.min(step, data.length - off));
    }
    assertThat(hash.hex())
        .isEqualTo(TreeHash.hexOf(data))
        .isEqualTo(TreeHash.of(new ByteArrayInputStream(data)).hex());
    assertThat(hash.length()).isEqualTo(data.length);
  }

  @Test
  @DisplayName("part hashes of whole-MiB parts join into the archive's hash")
  void partLeavesJoinIntoTheArchiveHash() {
    byte[] data = TestFiles.pattern(7 * MIB / 2, 5);
    List<byte[]> leaves = new ArrayList<>();
    for (int off = 0; off < data.length; off += 2 * MIB) {
      TreeHash part = new TreeHash();
      part.update(data, off, Math.min(2 * MIB, data.length - off));
      leaves.addAll(part.chunkHashes());
    }
    assertThat(HexFormat.of().formatHex(TreeHash.root(leaves))).isEqualTo(TreeHash.hexOf(data));
  }

  private static String sha256Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(sha256(data));
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
