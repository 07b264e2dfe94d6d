package org.periodicbackups.core.dump;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.util.SecretBytes;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import org.periodicbackups.api.InvalidBackupException;

/**
 * The encryption envelope of a backup file: a cleartext prefix, then the compressed dump encrypted
 * with Tink's streaming AEAD AES-256-GCM-HKDF in 1 MiB segments (see docs/ENCRYPTION.md).
 *
 * <pre>
 *   "PBKE"        4 bytes, the magic that tells an encrypted file from gzip or zstd
 *   0x01          the envelope version
 *   0x08          the length of the key id in bytes
 *   key id        8 bytes (the hex key id of {@link EncryptionKey#keyId()} as bytes)
 *   ciphertext    Tink's streaming AEAD output: its own header (salt, nonce prefix), then the
 *                 segments, each with a GCM tag; the last segment is marked as last
 * </pre>
 *
 * <p>Tink authenticates every segment, their order and the end of the stream, so a flipped byte,
 * reordered segments, a truncated or an extended file all fail decryption. Memory stays at about
 * one segment in each direction.
 *
 * <p>The associated data is the envelope itself (magic, version, key id): it binds the ciphertext
 * to the key id and version a reader trusts before decrypting. The file's name is deliberately not
 * bound: the same bytes are legitimately read under other names (a staged copy of a cold object,
 * another destination's prefix, a file an operator renamed or imports with {@code smuggler in
 * <file>}), and what a name could add is already checked on authenticated data: the header inside
 * the ciphertext carries the database, type and etag range that restore compares with the chain,
 * and each incremental carries the SHA-256 of the file before it, so a file swapped in from
 * elsewhere breaks the chain.
 */
final class DumpEncryption {
  /** The header's {@code Encryption} value and the setup's {@code Encryption} value. */
  static final String ALGORITHM = "aes-256-gcm-hkdf";

  static final byte[] MAGIC = "PBKE".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  private static final int KEY_ID_BYTES = EncryptionKey.KEY_ID_LENGTH / 2;
  static final int ENVELOPE_LENGTH = MAGIC.length + 2 + KEY_ID_BYTES;
  private static final int SEGMENT_SIZE = 1 << 20;

  private DumpEncryption() {}

  /**
   * Writes the envelope for {@code key} to {@code out} and returns the stream that encrypts into
   * {@code out}. Closing that stream writes the last segment and leaves {@code out} open; not
   * closing it leaves the file without its last segment, which no reader accepts.
   */
  static OutputStream encrypt(OutputStream out, EncryptionKey key) throws IOException {
    byte[] envelope = envelope(key.keyId());
    out.write(envelope);
    OutputStream keepOpen =
        new FilterOutputStream(out) {
          @Override
          public void write(byte[] bytes, int offset, int length) throws IOException {
            this.out.write(bytes, offset, length);
          }

          @Override
          public void close() throws IOException {
            flush();
          }
        };
    try {
      return streamingAead(key).newEncryptingStream(keepOpen, envelope);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up AES-256-GCM-HKDF streaming encryption", e);
    }
  }

  /** Whether {@code head} (its first {@code length} bytes) starts with the envelope magic. */
  static boolean isEncrypted(byte[] head, int length) {
    return length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /**
   * Reads the rest of the envelope (the magic was read already), picks the key by key id and
   * returns the decrypted stream. Failures of decryption (a damaged, tampered, truncated or
   * extended file) surface from its reads as {@link InvalidBackupException}s naming the file;
   * failures of {@code in} itself pass unchanged.
   *
   * @return the decrypted stream and the envelope's key id
   */
  static Opened decrypt(InputStream in, String fileName, EncryptionKeys keys) throws IOException {
    byte[] envelope = Arrays.copyOf(MAGIC, ENVELOPE_LENGTH);
    int read = in.readNBytes(envelope, MAGIC.length, ENVELOPE_LENGTH - MAGIC.length);
    if (read < 2) {
      throw truncatedEnvelope(fileName);
    }
    int version = envelope[MAGIC.length] & 0xff;
    if (version != VERSION) {
      throw new InvalidBackupException(
          fileName,
          "encryption envelope version "
              + version
              + " is not supported by this version (supports "
              + VERSION
              + "); restore it with the"
              + " release that wrote it or a newer one");
    }
    if ((envelope[MAGIC.length + 1] & 0xff) != KEY_ID_BYTES) {
      throw new InvalidBackupException(
          fileName,
          "its encryption envelope is damaged (key id"
              + " length "
              + (envelope[MAGIC.length + 1] & 0xff)
              + ", expected "
              + KEY_ID_BYTES
              + "); use another copy or an earlier backup");
    }
    if (read < ENVELOPE_LENGTH - MAGIC.length) {
      throw truncatedEnvelope(fileName);
    }
    String keyId = HexFormat.of().formatHex(envelope, MAGIC.length + 2, ENVELOPE_LENGTH);
    EncryptionKey key = keys.find(keyId).orElseThrow(() -> missingKey(fileName, keyId, keys));
    SourceStream source = new SourceStream(in);
    InputStream plain;
    try {
      plain = streamingAead(key).newDecryptingStream(source, envelope);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up AES-256-GCM-HKDF streaming decryption", e);
    }
    return new Opened(new Decrypted(plain, source, fileName), keyId);
  }

  /** A decrypted stream and the key id its envelope names. */
  record Opened(InputStream stream, String keyId) {}

  private static InvalidBackupException missingKey(
      String fileName, String keyId, EncryptionKeys keys) {
    String supply =
        "supply it as the target database's secured setting "
            + EncryptionKey.SETTING
            + ", or to pbk with --encryption-key-file <file> or $PBK_ENCRYPTION_KEY";
    if (keys.isEmpty()) {
      return new InvalidBackupException(
          fileName,
          "the file is encrypted with key id "
              + keyId
              + " and no encryption key was offered; "
              + supply);
    }
    return new InvalidBackupException(
        fileName,
        "the file was encrypted with key id "
            + keyId
            + "; the keys offered have ids "
            + String.join(", ", keys.keyIds())
            + " (wrong key?); "
            + supply);
  }

  private static InvalidBackupException truncatedEnvelope(String fileName) {
    return new InvalidBackupException(
        fileName,
        "the file is truncated inside its encryption"
            + " envelope; it was probably cut short during upload or copy; use another copy or an"
            + " earlier backup");
  }

  static byte[] envelope(String keyId) {
    byte[] envelope = Arrays.copyOf(MAGIC, ENVELOPE_LENGTH);
    envelope[MAGIC.length] = VERSION;
    envelope[MAGIC.length + 1] = KEY_ID_BYTES;
    byte[] id = HexFormat.of().parseHex(keyId);
    System.arraycopy(id, 0, envelope, MAGIC.length + 2, KEY_ID_BYTES);
    return envelope;
  }

  private static StreamingAead streamingAead(EncryptionKey key) throws GeneralSecurityException {
    AesGcmHkdfStreamingParameters parameters =
        AesGcmHkdfStreamingParameters.builder()
            .setKeySizeBytes(EncryptionKey.LENGTH)
            .setDerivedAesGcmKeySizeBytes(EncryptionKey.LENGTH)
            .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
            .setCiphertextSegmentSizeBytes(SEGMENT_SIZE)
            .build();
    byte[] bytes = key.bytes();
    try {
      return AesGcmHkdfStreaming.create(
          AesGcmHkdfStreamingKey.create(
              parameters, SecretBytes.copyFrom(bytes, InsecureSecretKeyAccess.get())));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The encrypted bytes as read from the caller's stream; remembers whether that stream failed. */
  private static final class SourceStream extends FilterInputStream {
    boolean failed;

    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      try {
        return super.read(bytes, offset, length);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void close() {
      // The caller's stream stays open.
    }
  }

  /**
   * Tink's decrypting stream, whose IOExceptions are either the source's (passed on) or its own
   * verdict on the ciphertext, turned into an {@link InvalidBackupException} naming the file.
   */
  private static final class Decrypted extends FilterInputStream {
    private final SourceStream source;
    private final String fileName;

    Decrypted(InputStream plain, SourceStream source, String fileName) {
      super(plain);
      this.source = source;
      this.fileName = fileName;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      try {
        return super.read(bytes, offset, length);
      } catch (IOException e) {
        if (source.failed) {
          throw e;
        }
        throw new InvalidBackupException(
            fileName,
            "its encrypted data does not authenticate ("
                + e.getMessage()
                + "): the file is damaged, truncated, extended or was tampered"
                + " with; use another copy or an earlier backup",
            e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      // Through read, so that a failure is classified the same way.
      byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
      long skipped = 0;
      while (skipped < n) {
        int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }

    @Override
    public void close() {
      // Nothing of the caller's to close.
    }
  }
}
