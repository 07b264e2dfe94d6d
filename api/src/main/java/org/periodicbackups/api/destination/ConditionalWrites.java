package org.periodicbackups.api.destination;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.periodicbackups.api.source.ContentDigest;

/**
 * Writes of small objects that succeed only if the object is as the writer last saw it: the
 * destination's own atomic primitive (S3 conditional writes with {@code If-None-Match: *} and
 * {@code If-Match}, an exclusive create and a locked replace on a file system). Writers that share
 * nothing but the destination use it to agree, for example on who holds a lease.
 *
 * <p>Objects are named by {@link StoredNames}, are at most {@link #MAX_SIZE} bytes, and are plain
 * files of the destination otherwise: {@link BackupDestination#list} lists them and {@link
 * BackupDestination#delete} deletes them. A {@link Version#tag() tag} identifies a version as the
 * store sees it; two versions with the same bytes may have the same tag (S3's ETag of a small
 * object is the MD5 of its bytes), so writers put a counter in what they write.
 *
 * <p>Implementations are thread-safe, and safe between processes and machines for as far as the
 * store's primitive reaches (a file system's locks reach the processes of one host and of hosts
 * that share its locks).
 */
public interface ConditionalWrites {
  /** The largest object, in bytes. */
  int MAX_SIZE = 64 * 1024;

  /** One version of an object: its bytes and the store's tag for it. */
  record Version(byte[] content, String tag) {
    /** Copies the bytes; the tag must not be blank. */
    public Version {
      Objects.requireNonNull(content, "content is null");
      content = content.clone();
      if (tag == null || tag.isBlank()) {
        throw new IllegalArgumentException("tag is blank");
      }
    }

    /** The bytes, copied. */
    @Override
    public byte[] content() {
      return content.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Version v && tag.equals(v.tag) && Arrays.equals(content, v.content);
    }

    @Override
    public int hashCode() {
      return tag.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return "Version[" + content.length + " bytes, tag " + tag + "]";
    }
  }

  /** The current version of {@code name}, or empty if there is no object of that name. */
  Optional<Version> read(String name) throws IOException;

  /**
   * Creates {@code name} with {@code content} if no object has that name.
   *
   * @return the version created, or empty if an object of that name exists (it is left as it was)
   */
  Optional<Version> createIfAbsent(String name, byte[] content) throws IOException;

  /**
   * Replaces {@code name} with {@code content} if its current version has tag {@code expectedTag}.
   *
   * @return the version written, whose tag differs from {@code expectedTag} when the content
   *     differs; or empty if the object changed since, or is gone (nothing is written)
   */
  Optional<Version> replaceIfUnchanged(String name, String expectedTag, byte[] content)
      throws IOException;

  /** Refuses content over {@link #MAX_SIZE}, naming the object; for implementations. */
  static void requireSmall(String name, byte[] content) {
    if (content.length > MAX_SIZE) {
      throw new IllegalArgumentException(
          "conditional write of '"
              + name
              + "': "
              + content.length
              + " bytes, at most "
              + MAX_SIZE
              + " allowed");
    }
  }

  /** A tag made of the SHA-256 of {@code content}, for stores without a tag of their own. */
  static String contentTag(byte[] content) {
    return HexFormat.of().formatHex(ContentDigest.sha256().digest(content));
  }
}
