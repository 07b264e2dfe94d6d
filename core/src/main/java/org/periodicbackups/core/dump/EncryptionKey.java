package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit key that encrypts backup files, and its <em>key id</em>: a short fingerprint that names
 * the key in file envelopes, headers and messages without revealing it.
 *
 * <p>The key is kept by the database as the secured setting {@value #SETTING} (base64 of the 32
 * bytes). It is never printed: {@link #toString()} shows only the key id, and parse errors never
 * repeat the text they were given. {@link #toBase64()} is the one way out, for an operator who
 * exports the key to keep it safe.
 */
public final class EncryptionKey {
  /** The secured database setting that holds the key, as base64 of 32 bytes. */
  public static final String SETTING = "PeriodicBackup/EncryptionKey";

  /** The key length in bytes. */
  public static final int LENGTH = 32;

  /** The length of a key id in hex digits. */
  public static final int KEY_ID_LENGTH = 16;

  private static final byte[] KEY_ID_LABEL = "pbk key id".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final String keyId;

  private EncryptionKey(byte[] key) {
    this.key = key;
    this.keyId =
        HexFormat.of().formatHex(Arrays.copyOf(hmacSha256(key, KEY_ID_LABEL), KEY_ID_LENGTH / 2));
  }

  /** A fresh key from a strong random source. */
  public static EncryptionKey generate() {
    byte[] key = new byte[LENGTH];
    RANDOM.nextBytes(key);
    return new EncryptionKey(key);
  }

  /** The key with these 32 bytes (copied). */
  public static EncryptionKey of(byte[] key) {
    requireNonNull(key, "key is null");
    if (key.length != LENGTH) {
      throw new IllegalArgumentException(
          "an encryption key has " + LENGTH + " bytes, not " + key.length);
    }
    return new EncryptionKey(key.clone());
  }

  /**
   * Parses base64 of 32 bytes (surrounding white space is ignored).
   *
   * @param where where the text comes from, for the message (a setting, a file, a variable)
   * @throws IllegalArgumentException naming {@code where} and the rule, never the text itself
   */
  public static EncryptionKey parse(String base64, String where) {
    requireNonNull(base64, "base64 is null");
    requireNonNull(where, "where is null");
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      // The decoder's message may quote a character of the key: leave it out.
      throw new IllegalArgumentException(
          "the encryption key in "
              + where
              + " is not valid"
              + " base64; it must be base64 of "
              + LENGTH
              + " random bytes (44 characters), as"
              + " 'pbk settings generate-encryption-key' or 'openssl rand -base64 32' make");
    }
    if (key.length != LENGTH) {
      int length = key.length;
      Arrays.fill(key, (byte) 0);
      throw new IllegalArgumentException(
          "the encryption key in "
              + where
              + " has "
              + length
              + " bytes; it must be base64 of "
              + LENGTH
              + " random bytes (44 characters), as"
              + " 'pbk settings generate-encryption-key' or 'openssl rand -base64 32' make");
    }
    return new EncryptionKey(key);
  }

  /** The key id: 16 hex digits, the first 8 bytes of HMAC-SHA256(key, "pbk key id"). */
  public String keyId() {
    return keyId;
  }

  /** The key as base64, to be stored as a secured setting or exported on purpose. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(key);
  }

  /** A copy of the key bytes. */
  byte[] bytes() {
    return key.clone();
  }

  /** Keys are equal when their bytes are (compared in constant time). */
  @Override
  public boolean equals(Object other) {
    return other instanceof EncryptionKey that && MessageDigest.isEqual(key, that.key);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  /** Only the key id: the key itself is never printed. */
  @Override
  public String toString() {
    return "EncryptionKey[keyId=" + keyId + "]";
  }

  private static byte[] hmacSha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime provides HmacSHA256", e);
    }
  }
}
