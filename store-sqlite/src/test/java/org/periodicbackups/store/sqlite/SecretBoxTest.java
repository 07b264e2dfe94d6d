package org.periodicbackups.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.periodicbackups.store.sqlite.SecretBox.SecretBoxException;

class SecretBoxTest {
  private static final String SECRET = "S3cr3t-AKIA-test-7f9c";
  private static final String NAME = "Raven/AWSSecretKey";

  private final SecretBox box = new SecretBox(key(1));

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  @Test
  void opensWhatItSealed() throws SecretBoxException {
    assertThat(box.open(NAME, box.seal(NAME, SECRET))).isEqualTo(SECRET);
    assertThat(box.open(NAME, box.seal(NAME, ""))).isEmpty();
    assertThat(box.open(NAME, box.seal(NAME, "ünïcødé ✓"))).isEqualTo("ünïcødé ✓");
  }

  @Test
  void sealedValuesCarryTheVersionAndAFreshNonceAndNoPlaintext() {
    byte[] first = box.seal(NAME, SECRET);
    byte[] second = box.seal(NAME, SECRET);
    assertThat(first[0]).isEqualTo(SecretBox.VERSION);
    assertThat(first).as("random nonce per value").isNotEqualTo(second);
    assertThat(first).hasSize(1 + 4 + 12 + SECRET.length() + 16);
    assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
  }

  @Test
  void detectsEveryAlteredByteOfTheCiphertextAndTag() {
    byte[] sealed = box.seal(NAME, SECRET);
    for (int i = 1 + 4 + 12; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> box.open(NAME, tampered))
          .as("byte %d flipped", i)
          .isInstanceOf(SecretBoxException.class)
          .hasMessageContaining("'" + NAME + "'")
          .hasMessageContaining("altered")
          .hasMessageNotContaining(SECRET);
    }
  }

  @Test
  void detectsAnAlteredNonce() {
    byte[] tampered = box.seal(NAME, SECRET);
    tampered[1 + 4] ^= 0x01;
    assertThatThrownBy(() -> box.open(NAME, tampered)).isInstanceOf(SecretBoxException.class);
  }

  @Test
  void aValueMovedToAnotherSettingNameDoesNotOpen() {
    byte[] sealed = box.seal(NAME, SECRET);
    assertThatThrownBy(() -> box.open("Raven/AWSAccessKey", sealed))
        .isInstanceOf(SecretBoxException.class)
        .hasMessageContaining("'Raven/AWSAccessKey'")
        .hasMessageContaining("belongs to another setting");
  }

  @Test
  void aDifferentKeyIsReportedAsTheWrongMasterKey() {
    byte[] sealed = box.seal(NAME, SECRET);
    assertThatThrownBy(() -> new SecretBox(key(2)).open(NAME, sealed))
        .isInstanceOf(SecretBoxException.class)
        .hasMessageContaining("'" + NAME + "'")
        .hasMessageContaining("wrong master key")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void refusesUnknownVersionsAndTruncatedValues() {
    byte[] sealed = box.seal(NAME, SECRET);
    byte[] future = sealed.clone();
    future[0] = 9;
    assertThatThrownBy(() -> box.open(NAME, future))
        .isInstanceOf(SecretBoxException.class)
        .hasMessageContaining("format version 9");
    assertThatThrownBy(() -> box.open(NAME, Arrays.copyOf(sealed, 20)))
        .isInstanceOf(SecretBoxException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void refusesKeysThatAreNot32Bytes() {
    assertThatThrownBy(() -> new SecretBox(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, not 16");
  }

  @Test
  void toStringShowsNoKey() {
    assertThat(box.toString()).isEqualTo("SecretBox[AES-256-GCM, key hidden]");
  }
}
