package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and decrypts secured setting values with AES-256-GCM under the master key.
 *
 * <p>A sealed value is {@code version (1 byte) | key id (4) | nonce (12) | ciphertext | tag (16)}.
 * The nonce is random per value. The setting name is the associated data, so a value copied to
 * another name fails to open. The key id (the first bytes of an HMAC of a fixed label under the
 * key) tells "wrong master key" apart from "value altered"; it reveals nothing useful about the
 * key.
 *
 * <p>Thread-safe. Never shows the key or any plaintext in messages or {@link #toString()}.
 */
final class SecretBox {
  /** The format written by this release. */
  static final byte VERSION = 1;

  static final int KEY_BYTES = 32;
  private static final int KEY_ID_BYTES = 4;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final byte[] keyId;

  /** A box over a 32-byte key; the array is copied. */
  SecretBox(byte[] key) {
    requireNonNull(key, "key is null");
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "the master key must be " + KEY_BYTES + " bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.keyId = keyIdOf(key);
  }

  /** Encrypts {@code value} for setting {@code name}. */
  byte[] seal(String name, String value) {
    requireNonNull(name, "name is null");
    requireNonNull(value, "value is null");
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      byte[] ciphertext = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(HEADER_BYTES + ciphertext.length)
          .put(VERSION)
          .put(keyId)
          .put(nonce)
          .put(ciphertext)
          .array();
    } catch (GeneralSecurityException e) {
      // AES-GCM is mandatory in every JDK; this means a broken runtime, not bad input.
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts the value of setting {@code name}.
   *
   * @throws SecretBoxException naming the setting and saying whether the key is wrong or the value
   *     was altered; never with any part of the value
   */
  String open(String name, byte[] sealed) throws SecretBoxException {
    requireNonNull(name, "name is null");
    requireNonNull(sealed, "sealed is null");
    if (sealed.length < HEADER_BYTES + TAG_BITS / 8) {
      throw new SecretBoxException(
          "secured setting '" + name + "' is truncated or corrupted (" + sealed.length + " bytes)");
    }
    if (sealed[0] != VERSION) {
      throw new SecretBoxException(
          "secured setting '"
              + name
              + "' has format version "
              + sealed[0]
              + "; this release reads version "
              + VERSION);
    }
    if (!MessageDigest.isEqual(keyId, Arrays.copyOfRange(sealed, 1, 1 + KEY_ID_BYTES))) {
      throw new SecretBoxException(
          "secured setting '"
              + name
              + "' cannot be decrypted: wrong"
              + " master key (it was encrypted with a different key; restore the original key file"
              + " or "
              + MasterKeySource.ENVIRONMENT_VARIABLE
              + ")");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BITS, sealed, 1 + KEY_ID_BYTES, NONCE_BYTES));
      cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(sealed, HEADER_BYTES, sealed.length - HEADER_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SecretBoxException(
          "secured setting '"
              + name
              + "' cannot be decrypted: the"
              + " stored value was altered, belongs to another setting, or the master key is wrong");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SecretBox[AES-256-GCM, key hidden]";
  }

  private static byte[] keyIdOf(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal("pbk secured settings key id".getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, KEY_ID_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
    }
  }

  /** A secured value that cannot be opened; the message names the setting, never the value. */
  static final class SecretBoxException extends Exception {
    private static final long serialVersionUID = 1L;

    SecretBoxException(String message) {
      super(message);
    }
  }
}
