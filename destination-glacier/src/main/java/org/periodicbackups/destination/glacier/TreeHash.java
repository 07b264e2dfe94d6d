package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The SHA-256 tree hash with which Glacier checks every payload: the SHA-256 of each 1 MiB chunk
 * (the last one may be shorter), then the hashes of consecutive pairs concatenated and hashed,
 * level by level (an odd hash moves up unchanged), until one root remains. Data of at most 1 MiB
 * therefore has its plain SHA-256 as tree hash.
 *
 * <p>Feed bytes with {@link #update}; {@link #chunkHashes()} returns the leaf hashes so that the
 * part hashes of a multipart upload (parts are whole MiBs) can be joined into the archive's hash
 * with {@link #root(List)}. Not thread-safe.
 */
public final class TreeHash {
  /** Glacier's chunk size, 1 MiB. */
  public static final int CHUNK_SIZE = 1024 * 1024;

  private final MessageDigest chunkDigest = sha256();
  private final List<byte[]> chunkHashes = new ArrayList<>();
  private int inChunk;
  private long length;

  /** The tree hash of {@code data}, lower-case hex. */
  public static String hexOf(byte[] data) {
    TreeHash hash = new TreeHash();
    hash.update(data, 0, data.length);
    return hash.hex();
  }

  /** Reads {@code length} bytes of {@code channel} from {@code position} and hashes them. */
  public static TreeHash ofRange(FileChannel channel, long position, long length)
      throws IOException {
    TreeHash hash = new TreeHash();
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long done = 0;
    while (done < length) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
      int read = channel.read(buffer, position + done);
      if (read < 0) {
        throw new IOException(
            "file ended at "
                + (position + done)
                + " while "
                + (position + length)
                + " bytes were expected; was it changed during the upload?");
      }
      hash.update(buffer.array(), 0, read);
      done += read;
    }
    return hash;
  }

  /** Hashes everything {@code in} holds, up to its end. */
  public static TreeHash of(InputStream in) throws IOException {
    TreeHash hash = new TreeHash();
    byte[] buffer = new byte[64 * 1024];
    for (int read; (read = in.read(buffer)) >= 0; ) {
      hash.update(buffer, 0, read);
    }
    return hash;
  }

  /** Adds {@code len} bytes of {@code data} from {@code off}. */
  public void update(byte[] data, int off, int len) {
    while (len > 0) {
      int take = Math.min(len, CHUNK_SIZE - inChunk);
      chunkDigest.update(data, off, take);
      inChunk += take;
      off += take;
      len -= take;
      length += take;
      if (inChunk == CHUNK_SIZE) {
        chunkHashes.add(chunkDigest.digest());
        inChunk = 0;
      }
    }
  }

  /** How many bytes were hashed. */
  public long length() {
    return length;
  }

  /** The leaf hashes so far, the pending partial chunk included; empty data has one leaf. */
  public List<byte[]> chunkHashes() {
    List<byte[]> out = new ArrayList<>(chunkHashes);
    if (inChunk > 0 || out.isEmpty()) {
      try {
        // Clone so that more bytes may still be added to the partial chunk.
        out.add(((MessageDigest) chunkDigest.clone()).digest());
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
      }
    }
    return out;
  }

  /** The root hash of the bytes so far. */
  public byte[] digest() {
    return root(chunkHashes());
  }

  /** The root hash of the bytes so far, lower-case hex as Glacier's headers carry it. */
  public String hex() {
    return HexFormat.of().formatHex(digest());
  }

  /** The root of a tree whose leaves are {@code leaves}, in order. */
  public static byte[] root(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("a tree hash needs at least one leaf");
    }
    List<byte[]> level = leaves;
    MessageDigest digest = sha256();
    while (level.size() > 1) {
      List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        if (i + 1 == level.size()) {
          next.add(level.get(i));
        } else {
          digest.update(level.get(i));
          digest.update(level.get(i + 1));
          next.add(digest.digest());
        }
      }
      level = next;
    }
    return level.get(0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
