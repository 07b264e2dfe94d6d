package org.periodicbackups.api.source;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a database holds, in a form two databases can be compared by: the number of documents and
 * attachments and an order-independent digest of them. A backup file records the source's content
 * at its cut; a restore computes the restored database's and refuses to finish if they differ.
 *
 * <p>The digest ({@value #ALGORITHM}) is the sum modulo 2<sup>256</sup> of one SHA-256 per live
 * item, read as an unsigned big-endian number. A document's item hash is the SHA-256 of the byte
 * {@code 'D'} followed by its key, metadata JSON and body JSON; an attachment's, of {@code 'A'},
 * its key, its metadata JSON and the 32-byte SHA-256 of its content. Each string is written as its
 * UTF-8 length (4 bytes, big-endian) and its UTF-8 bytes. Etags are not part of it (a restore
 * assigns its own), nor are system documents, settings or tombstones. Since the sum is taken modulo
 * 2<sup>256</sup>, a store keeps it up to date at constant cost per write: add the new item's hash,
 * subtract the replaced one's. {@link Sum} does that arithmetic.
 *
 * @param documents the number of (non-system) documents
 * @param attachments the number of attachments
 * @param digest the digest, 64 lower-case hex digits
 */
public record ContentDigest(long documents, long attachments, String digest) {

  /** The name of the digest, as recorded in backup files. */
  public static final String ALGORITHM = "sha256-sum";

  /** The content of an empty database. */
  public static final ContentDigest EMPTY = new ContentDigest(0, 0, "0".repeat(64));

  /** Checks the fields. */
  public ContentDigest {
    if (documents < 0 || attachments < 0) {
      throw new IllegalArgumentException(
          "counts must not be negative: " + documents + " documents, " + attachments);
    }
    requireNonNull(digest, "digest is null");
    if (!digest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("digest '" + digest + "' is not 64 lower-case hex digits");
    }
  }

  /** For messages: {@code 1200 documents, 3 attachments, digest 3fa2c1…}. */
  public String describe() {
    return documents
        + (documents == 1 ? " document, " : " documents, ")
        + attachments
        + (attachments == 1 ? " attachment" : " attachments")
        + ", digest "
        + digest.substring(0, 12)
        + "…";
  }

  // One digest per thread, reset after each use: getInstance costs more than hashing a document.
  private static final ThreadLocal<MessageDigest> ITEM_SHA256 =
      ThreadLocal.withInitial(ContentDigest::sha256);

  /** The item hash of a document. */
  public static byte[] documentHash(String key, String metadataJson, String bodyJson) {
    MessageDigest sha256 = ITEM_SHA256.get();
    sha256.update((byte) 'D');
    update(sha256, key);
    update(sha256, metadataJson);
    update(sha256, bodyJson);
    return sha256.digest();
  }

  /** The item hash of an attachment whose content has SHA-256 {@code contentSha256}. */
  public static byte[] attachmentHash(String key, String metadataJson, byte[] contentSha256) {
    if (contentSha256.length != 32) {
      throw new IllegalArgumentException(
          "a content SHA-256 has 32 bytes, not " + contentSha256.length);
    }
    MessageDigest sha256 = ITEM_SHA256.get();
    sha256.update((byte) 'A');
    update(sha256, key);
    update(sha256, metadataJson);
    sha256.update(contentSha256);
    return sha256.digest();
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static void update(MessageDigest sha256, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int length = bytes.length;
    sha256.update((byte) (length >>> 24));
    sha256.update((byte) (length >>> 16));
    sha256.update((byte) (length >>> 8));
    sha256.update((byte) length);
    sha256.update(bytes);
  }

  /**
   * A running digest and counts: item hashes are added and subtracted modulo 2<sup>256</sup>. Not
   * thread-safe.
   */
  public static final class Sum {
    // Four 64-bit limbs, most significant first.
    private final long[] limbs = new long[4];
    private long documents;
    private long attachments;

    /** An empty database's sum. */
    public Sum() {}

    /** Starts from a recorded content. */
    public Sum(ContentDigest start) {
      byte[] bytes = HexFormat.of().parseHex(start.digest());
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      for (int i = 0; i < 4; i++) {
        limbs[i] = buffer.getLong();
      }
      documents = start.documents();
      attachments = start.attachments();
    }

    /** Counts a new document with item hash {@code hash}. */
    public void addDocument(byte[] hash) {
      add(hash, 1);
      documents++;
    }

    /** Removes a document with item hash {@code hash}. */
    public void removeDocument(byte[] hash) {
      add(hash, -1);
      documents--;
    }

    /** Counts a new attachment with item hash {@code hash}. */
    public void addAttachment(byte[] hash) {
      add(hash, 1);
      attachments++;
    }

    /** Removes an attachment with item hash {@code hash}. */
    public void removeAttachment(byte[] hash) {
      add(hash, -1);
      attachments--;
    }

    /** Adds the other sum's items to this one. */
    public void addAll(Sum other) {
      long carry = 0;
      for (int i = 3; i >= 0; i--) {
        long a = limbs[i];
        long b = other.limbs[i];
        long s = a + b + carry;
        carry = carryOut(a, b, s);
        limbs[i] = s;
      }
      documents += other.documents;
      attachments += other.attachments;
    }

    /** The content so far. */
    public ContentDigest content() {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      for (long limb : limbs) {
        buffer.putLong(limb);
      }
      return new ContentDigest(documents, attachments, HexFormat.of().formatHex(buffer.array()));
    }

    /** Adds ({@code sign} 1) or subtracts ({@code sign} -1) a 32-byte big-endian number. */
    private void add(byte[] hash, int sign) {
      if (hash.length != 32) {
        throw new IllegalArgumentException("an item hash has 32 bytes, not " + hash.length);
      }
      ByteBuffer buffer = ByteBuffer.wrap(hash);
      long[] value = new long[4];
      for (int i = 0; i < 4; i++) {
        value[i] = buffer.getLong();
      }
      if (sign < 0) {
        // Two's complement over 256 bits: invert every limb and add one.
        long carry = 1;
        for (int i = 3; i >= 0; i--) {
          long inverted = ~value[i];
          long s = inverted + carry;
          carry = (carry != 0 && s == 0) ? 1 : 0;
          value[i] = s;
        }
      }
      long carry = 0;
      for (int i = 3; i >= 0; i--) {
        long a = limbs[i];
        long s = a + value[i] + carry;
        carry = carryOut(a, value[i], s);
        limbs[i] = s;
      }
    }

    /** The carry out of the unsigned addition {@code a + b (+ carry in) = s}. */
    private static long carryOut(long a, long b, long s) {
      // Standard: carry if the sum wrapped, computed from the top bits of a, b and s.
      return ((a & b) | ((a | b) & ~s)) >>> 63;
    }
  }
}
