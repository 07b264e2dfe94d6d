package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.function.Consumer;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.Etags;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.api.source.ImageFormat;

/**
 * The {@code "Backup"} object at the start of every dump file: what the file covers and which file
 * it follows.
 *
 * @param formatVersion {@code FormatVersion}: the dump format, {@value #FORMAT_VERSION} here
 * @param database {@code Database}: the source database's name
 * @param type {@code Type}: {@code Full} or {@code Incremental}
 * @param createdAt {@code CreatedAt}: when the backup run cut the database
 * @param fromEtag {@code FromEtag}: the file holds changes after this etag ({@code 0} for a full)
 * @param toEtag {@code ToEtag}: … up to and including this etag (the cut)
 * @param codec {@code Codec}: the compression, {@value #CODEC_GZIP} or {@value #CODEC_ZSTD}
 * @param previous {@code Previous}: the name of the file this incremental follows; null for a full
 * @param previousSha256 {@code PreviousSha256}: the SHA-256 of that file's bytes, lower-case hex;
 *     null for a full
 * @param encryption {@code Encryption}: {@value #ENCRYPTION_AES_256_GCM_HKDF} when the file is
 *     encrypted (see {@link EncryptionKey}); null for a plain file
 * @param keyId {@code KeyId}: the key id of the key that encrypted the file; null for a plain file
 * @param image {@code Image}: for a snapshot file (a full backup holding a physical image of the
 *     database, see {@link SnapshotFile}), the image's format and version; null for a logical dump
 * @param content {@code Content} (format version 2 on): what the source database held at the cut,
 *     which a restore of the chain up to this file must rebuild; null if the source keeps no digest
 *     (written as {@code {"Algorithm": "none"}}) and in a version 1 file
 * @param lease {@code Lease} (format version 3, which requires it): the lease on the destination
 *     under which the file was written (docs/DESIGN.md, "One writer per chain"); null when the
 *     writer held none, in a file of version 1 or 2
 * @param compacts {@code Compacts} (format version 2 on, optional): for a compacted file, which
 *     files of its chain it merges (docs/DESIGN.md, "Continuous backup and compaction"); null for a
 *     file the engine wrote
 */
public record DumpHeader(
    int formatVersion,
    String database,
    BackupType type,
    Instant createdAt,
    long fromEtag,
    long toEtag,
    String codec,
    String previous,
    String previousSha256,
    String encryption,
    String keyId,
    ImageFormat image,
    ContentDigest content,
    LeaseFence lease,
    Compaction compacts) {

  /**
   * The format version of files written without a lease: 2, which adds {@code Content} to version
   * 1. Such files stay readable by every release that reads version 2.
   */
  public static final int FORMAT_VERSION = 2;

  /**
   * The format version of files written under a lease: 3, which adds {@code Lease} to version 2.
   */
  public static final int LEASE_FORMAT_VERSION = 3;

  /** The newest format version this code reads and writes. */
  public static final int NEWEST_FORMAT_VERSION = LEASE_FORMAT_VERSION;

  /** The oldest format version this code reads. */
  public static final int OLDEST_FORMAT_VERSION = 1;

  /** The default codec, and the only one of the first releases. */
  public static final String CODEC_GZIP = "gzip";

  /** Zstandard: faster than gzip at a similar ratio. */
  public static final String CODEC_ZSTD = "zstd";

  /** The {@code Encryption} of an encrypted file: Tink's streaming AES-256-GCM-HKDF. */
  public static final String ENCRYPTION_AES_256_GCM_HKDF = DumpEncryption.ALGORITHM;

  /** Checks every field; throws {@link IllegalArgumentException} naming the first bad one. */
  public DumpHeader {
    if (formatVersion < 1) {
      throw new IllegalArgumentException("formatVersion must be >= 1 but was " + formatVersion);
    }
    requireNonNull(database, "database is null");
    if (!BackupFileName.isValidDatabaseName(database)) {
      throw new IllegalArgumentException(
          "database '"
              + database
              + "' is not a valid database"
              + " name ("
              + BackupFileName.DATABASE_NAME_RULE
              + ")");
    }
    requireNonNull(type, "type is null");
    requireNonNull(createdAt, "createdAt is null");
    Etags.requireValid(fromEtag, "fromEtag");
    Etags.requireValid(toEtag, "toEtag");
    if (fromEtag > toEtag) {
      throw new IllegalArgumentException(
          "fromEtag " + fromEtag + " must not be greater than toEtag " + toEtag);
    }
    requireNonNull(codec, "codec is null");
    if (codec.isBlank()) {
      throw new IllegalArgumentException("codec is blank");
    }
    if ((encryption == null) != (keyId == null)) {
      throw new IllegalArgumentException(
          "encryption and keyId go together, but encryption was '"
              + encryption
              + "' and keyId '"
              + keyId
              + "'");
    }
    if (encryption != null && !encryption.equals(ENCRYPTION_AES_256_GCM_HKDF)) {
      throw new IllegalArgumentException(
          "encryption '" + encryption + "' is not known; known: " + ENCRYPTION_AES_256_GCM_HKDF);
    }
    if (keyId != null && !keyId.matches("[0-9a-f]{" + EncryptionKey.KEY_ID_LENGTH + "}")) {
      throw new IllegalArgumentException(
          "keyId '" + keyId + "' is not " + EncryptionKey.KEY_ID_LENGTH + " lower-case hex digits");
    }
    if (content != null && formatVersion < 2) {
      throw new IllegalArgumentException("format version 1 records no content");
    }
    if ((lease != null) != (formatVersion >= LEASE_FORMAT_VERSION)) {
      throw new IllegalArgumentException(
          "a lease goes with format version "
              + LEASE_FORMAT_VERSION
              + " and only there, but the version was "
              + formatVersion
              + (lease == null ? " without a lease" : " with lease token " + lease.token()));
    }
    if (compacts != null && (type != BackupType.INCREMENTAL || formatVersion < 2)) {
      throw new IllegalArgumentException(
          "only an incremental of format version 2 on is compacted, not a "
              + type
              + " of version "
              + formatVersion);
    }
    if (image != null && type != BackupType.FULL) {
      throw new IllegalArgumentException("only a full backup holds an image, not " + type);
    }
    if (type == BackupType.FULL) {
      if (fromEtag != Etags.NONE) {
        throw new IllegalArgumentException(
            "a full backup starts at etag 0 but fromEtag was " + fromEtag);
      }
      if (previous != null || previousSha256 != null) {
        throw new IllegalArgumentException(
            "a full backup follows no file, but previous was '"
                + previous
                + "' and previousSha256 '"
                + previousSha256
                + "'");
      }
    } else {
      // The chain check of restore depends on these two; an incremental without them is useless.
      requireNonNull(previous, "previous is null; an incremental names the file it follows");
      requireNonNull(
          previousSha256,
          "previousSha256 is null; an incremental carries the" + " SHA-256 of the file it follows");
      if (!previousSha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            "previousSha256 '" + previousSha256 + "' is not 64 lower-case hex digits");
      }
    }
  }

  /** A header of a file the engine wrote (not compacted); see the canonical constructor. */
  public DumpHeader(
      int formatVersion,
      String database,
      BackupType type,
      Instant createdAt,
      long fromEtag,
      long toEtag,
      String codec,
      String previous,
      String previousSha256,
      String encryption,
      String keyId,
      ImageFormat image,
      ContentDigest content,
      LeaseFence lease) {
    this(
        formatVersion,
        database,
        type,
        createdAt,
        fromEtag,
        toEtag,
        codec,
        previous,
        previousSha256,
        encryption,
        keyId,
        image,
        content,
        lease,
        null);
  }

  /** A header without recorded content; see the canonical constructor. */
  public DumpHeader(
      int formatVersion,
      String database,
      BackupType type,
      Instant createdAt,
      long fromEtag,
      long toEtag,
      String codec,
      String previous,
      String previousSha256,
      String encryption,
      String keyId,
      ImageFormat image) {
    this(
        formatVersion,
        database,
        type,
        createdAt,
        fromEtag,
        toEtag,
        codec,
        previous,
        previousSha256,
        encryption,
        keyId,
        image,
        null,
        null);
  }

  /** A logical dump's header; see the canonical constructor. */
  public DumpHeader(
      int formatVersion,
      String database,
      BackupType type,
      Instant createdAt,
      long fromEtag,
      long toEtag,
      String codec,
      String previous,
      String previousSha256,
      String encryption,
      String keyId) {
    this(
        formatVersion,
        database,
        type,
        createdAt,
        fromEtag,
        toEtag,
        codec,
        previous,
        previousSha256,
        encryption,
        keyId,
        null);
  }

  /** A plain (unencrypted) file's header; see the canonical constructor. */
  public DumpHeader(
      int formatVersion,
      String database,
      BackupType type,
      Instant createdAt,
      long fromEtag,
      long toEtag,
      String codec,
      String previous,
      String previousSha256) {
    this(
        formatVersion,
        database,
        type,
        createdAt,
        fromEtag,
        toEtag,
        codec,
        previous,
        previousSha256,
        null,
        null);
  }

  /** The header of a full backup of {@code database} cut at {@code toEtag}. */
  public static DumpHeader full(String database, Instant createdAt, long toEtag) {
    return new DumpHeader(
        FORMAT_VERSION,
        database,
        BackupType.FULL,
        createdAt,
        Etags.NONE,
        toEtag,
        CODEC_GZIP,
        null,
        null);
  }

  /**
   * The header of an incremental backup covering {@code fromEtag < etag <= toEtag}, following the
   * file {@code previous} whose bytes have SHA-256 {@code previousSha256}.
   */
  public static DumpHeader incremental(
      String database,
      Instant createdAt,
      long fromEtag,
      long toEtag,
      String previous,
      String previousSha256) {
    return new DumpHeader(
        FORMAT_VERSION,
        database,
        BackupType.INCREMENTAL,
        createdAt,
        fromEtag,
        toEtag,
        CODEC_GZIP,
        previous,
        previousSha256);
  }

  /** This header with {@code codec} in place of its own. */
  public DumpHeader withCodec(String codec) {
    return with(f -> f.codec = codec);
  }

  /** This header for a snapshot file holding an image of {@code format}, or a dump when null. */
  public DumpHeader withImage(ImageFormat format) {
    return with(f -> f.image = format);
  }

  /** This header for a file encrypted with {@code key}, or a plain one when it is null. */
  public DumpHeader withEncryption(EncryptionKey key) {
    return with(
        f -> {
          f.encryption = key == null ? null : ENCRYPTION_AES_256_GCM_HKDF;
          f.keyId = key == null ? null : key.keyId();
        });
  }

  /** This header recording {@code content} (null: the source keeps no digest). */
  public DumpHeader withContent(ContentDigest content) {
    return with(f -> f.content = content);
  }

  /**
   * This header recording that its file is written under {@code fence} (format version {@value
   * #LEASE_FORMAT_VERSION}), or under no lease when it is null (format version {@value
   * #FORMAT_VERSION}).
   */
  public DumpHeader withLease(LeaseFence fence) {
    if (fence == null && lease == null) {
      return this;
    }
    return with(
        f -> {
          f.formatVersion = fence == null ? FORMAT_VERSION : LEASE_FORMAT_VERSION;
          f.lease = fence;
        });
  }

  /** This header recording that its file merges what {@code compaction} says. */
  public DumpHeader withCompacts(Compaction compaction) {
    return with(f -> f.compacts = compaction);
  }

  /** This header with the fields {@code change} sets changed, checked as a new one is. */
  private DumpHeader with(Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return new DumpHeader(
        f.formatVersion,
        database,
        type,
        createdAt,
        fromEtag,
        toEtag,
        f.codec,
        previous,
        previousSha256,
        f.encryption,
        f.keyId,
        f.image,
        f.content,
        f.lease,
        f.compacts);
  }

  /** The fields the with-methods change. */
  private static final class Fields {
    int formatVersion;
    String codec;
    String encryption;
    String keyId;
    ImageFormat image;
    ContentDigest content;
    LeaseFence lease;
    Compaction compacts;

    Fields(DumpHeader h) {
      formatVersion = h.formatVersion;
      codec = h.codec;
      encryption = h.encryption;
      keyId = h.keyId;
      image = h.image;
      content = h.content;
      lease = h.lease;
      compacts = h.compacts;
    }
  }

  /** The lease token the file was written under, or 0 if it was written under none. */
  public long leaseToken() {
    return lease == null ? 0 : lease.token();
  }

  /** Whether the file is a snapshot file holding a physical image. */
  public boolean isImage() {
    return image != null;
  }

  /**
   * The name of the last file this one stands for in its chain, which the next file names as its
   * {@code Previous}: for a compacted file the last it merges, else {@code ownName}.
   */
  public String lastMerged(String ownName) {
    return compacts == null ? ownName : compacts.last();
  }

  /** Whether the file is encrypted. */
  public boolean encrypted() {
    return encryption != null;
  }

  /** Whether an entry with {@code etag} belongs in this file: {@code fromEtag < etag <= toEtag}. */
  public boolean covers(long etag) {
    return etag > fromEtag && etag <= toEtag;
  }
}
