package org.periodicbackups.api.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentDigestTest {
  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

  @Test
  void theSumIsTheItemHashesAddedModulo2To256() {
    Random random = new Random(7);
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      if (i % 50 == 0) {
        Arrays.fill(hash, (byte) 0xff); // carries through every limb
      }
      hashes.add(hash);
    }
    ContentDigest.Sum sum = new ContentDigest.Sum();
    BigInteger expected = BigInteger.ZERO;
    for (byte[] hash : hashes) {
      sum.addDocument(hash);
      expected = expected.add(new BigInteger(1, hash)).mod(MODULUS);
    }
    assertThat(sum.content().digest()).isEqualTo(hex(expected));
    assertThat(sum.content().documents()).isEqualTo(500);

    // Removing in another order gives every intermediate sum and ends at zero.
    Collections.shuffle(hashes, random);
    for (byte[] hash : hashes.subList(0, 250)) {
      sum.removeDocument(hash);
      expected = expected.subtract(new BigInteger(1, hash)).mod(MODULUS);
    }
    assertThat(sum.content().digest()).isEqualTo(hex(expected));
    for (byte[] hash : hashes.subList(250, 500)) {
      sum.removeDocument(hash);
    }
    assertThat(sum.content()).isEqualTo(ContentDigest.EMPTY);
  }

  @Test
  void theOrderOfWritesDoesNotMatterButEveryFieldDoes() {
    byte[] a = ContentDigest.documentHash("users/1", "{}", "{\"name\":\"Ada\"}");
    byte[] b = ContentDigest.attachmentHash("files/1", "{}", new byte[32]);
    ContentDigest.Sum ab = new ContentDigest.Sum();
    ab.addDocument(a);
    ab.addAttachment(b);
    ContentDigest.Sum ba = new ContentDigest.Sum();
    ba.addAttachment(b);
    ba.addDocument(a);
    assertThat(ab.content()).isEqualTo(ba.content());
    assertThat(ab.content().documents()).isEqualTo(1);
    assertThat(ab.content().attachments()).isEqualTo(1);

    // Moving text between the key, metadata and body changes the hash (length prefixes).
    assertThat(ContentDigest.documentHash("a", "{}", "{\"x\":1}"))
        .isNotEqualTo(ContentDigest.documentHash("a{", "}", "{\"x\":1}"))
        .isNotEqualTo(ContentDigest.documentHash("a", "{}", "{\"x\":2}"));
    assertThat(ContentDigest.documentHash("k", "{}", "{}"))
        .isNotEqualTo(ContentDigest.attachmentHash("k", "{}", new byte[32]));
  }

  @Test
  void aRecordedContentContinuesWhereItLeftOff() {
    ContentDigest.Sum first = new ContentDigest.Sum();
    first.addDocument(ContentDigest.documentHash("a", "{}", "{}"));
    ContentDigest.Sum resumed = new ContentDigest.Sum(first.content());
    resumed.addDocument(ContentDigest.documentHash("b", "{}", "{}"));
    ContentDigest.Sum direct = new ContentDigest.Sum();
    direct.addDocument(ContentDigest.documentHash("b", "{}", "{}"));
    direct.addDocument(ContentDigest.documentHash("a", "{}", "{}"));
    assertThat(resumed.content()).isEqualTo(direct.content());
    assertThat(resumed.content().describe()).startsWith("2 documents, 0 attachments, digest ");
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> new ContentDigest(-1, 0, "0".repeat(64)))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> new ContentDigest(0, 0, "ABC"))
        .hasMessageContaining("64 lower-case hex digits");
    assertThatThrownBy(() -> new ContentDigest.Sum().removeDocument(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String hex(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
    return HexFormat.of().formatHex(fixed);
  }
}
