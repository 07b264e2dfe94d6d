package org.periodicbackups.core.dump;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.periodicbackups.api.InvalidBackupException;

/**
 * The bytes of one dump file on their way in: the encryption envelope, if the file starts with one,
 * is opened; the compression is recognised from the first bytes; the decompressor gives the JSON
 * bytes. The reverse of {@link CompressedOutput} and {@link DumpEncryption#encrypt}.
 *
 * <p>The caller's stream is never closed here; {@link #close()} frees the decompressor's native
 * state at once. {@link #failure} tells damaged or cut compressed data from other I/O failures.
 */
final class CompressedInput {
  private final String fileName;
  private final DumpCodec codec;
  private final String keyId; // null for a plain file

  /** The compressed bytes: the file's, or the decrypted ones of an encrypted file. */
  private final PushbackInputStream compressed;

  private final InputStream decompressed;

  private CompressedInput(
      String fileName,
      DumpCodec codec,
      String keyId,
      PushbackInputStream compressed,
      InputStream decompressed) {
    this.fileName = fileName;
    this.codec = codec;
    this.keyId = keyId;
    this.compressed = compressed;
    this.decompressed = decompressed;
  }

  /**
   * Opens the envelope of {@code in} if it has one (decrypting with the key of {@code keys} it
   * names), recognises the codec and starts decompressing.
   *
   * @throws InvalidBackupException naming {@code fileName} if the file is empty, neither gzip nor
   *     zstd, or encrypted with a key not offered
   */
  static CompressedInput open(InputStream in, String fileName, EncryptionKeys keys)
      throws IOException {
    // Closing the decompressor frees its native state at once; the caller's stream stays open.
    PushbackInputStream file =
        new PushbackInputStream(
            new FilterInputStream(in) {
              @Override
              public void close() {}
            },
            DumpCodec.MAGIC_LENGTH);
    DumpEncryption.Opened decrypted = openEnvelope(file, fileName, keys);
    PushbackInputStream raw = new MemberAwareStream(decrypted == null ? file : decrypted.stream());
    DumpCodec codec = detect(raw, fileName);
    InputStream decompressed =
        switch (codec) {
          case GZIP -> new GZIPInputStream(raw, DumpJson.GZIP_BUFFER);
          case ZSTD -> new BufferedInputStream(new ZstdInputStream(raw), DumpJson.GZIP_BUFFER);
        };
    return new CompressedInput(
        fileName, codec, decrypted == null ? null : decrypted.keyId(), raw, decompressed);
  }

  /** The decompressed bytes: the file's JSON. */
  InputStream stream() {
    return decompressed;
  }

  /** The compression recognised from the first bytes. */
  DumpCodec codec() {
    return codec;
  }

  /** The key id the encryption envelope names, or null for a plain file. */
  String keyId() {
    return keyId;
  }

  /**
   * For an encrypted file, reads the decrypted stream to its end, so that the last segment's tag
   * and its end-of-stream mark are checked: a file cut at a segment boundary would otherwise pass.
   * No backup holds bytes after its compressed data. Does nothing for a plain file.
   */
  void requireAuthenticatedEnd() throws IOException {
    if (keyId == null) {
      return;
    }
    byte[] rest = new byte[8192];
    long extra = 0;
    for (int n; (n = compressed.read(rest)) >= 0; ) {
      extra += n;
    }
    if (extra > 0) {
      throw new InvalidBackupException(
          fileName,
          extra
              + " byte(s) follow the compressed data"
              + " inside the encrypted file; no backup holds any, so the file is not one of ours");
    }
  }

  /** Frees the decompressor; the caller's stream stays open. */
  void close() throws IOException {
    decompressed.close();
  }

  /**
   * What to throw for {@code e}, raised while the file was read: an {@link InvalidBackupException}
   * for corrupt or truncated compressed data, else {@code e} itself.
   */
  static IOException failure(IOException e, String fileName) {
    if (e instanceof EOFException) {
      return truncated(fileName, e);
    } else if (e instanceof ZstdIOException || isZstdFailure(e)) {
      return corrupt(fileName, "zstd", e);
    } else if (e instanceof ZipException) {
      return corrupt(fileName, "gzip", e);
    }
    return e;
  }

  /** The message of a file that ends too early. */
  static InvalidBackupException truncated(String fileName, IOException e) {
    return new InvalidBackupException(
        fileName,
        "the file is truncated (unexpected end of input);"
            + " it was probably cut short during upload or copy; use another copy or an earlier"
            + " backup",
        e);
  }

  /**
   * Opens the encryption envelope if the file starts with one, else puts the bytes back and returns
   * null.
   */
  private static DumpEncryption.Opened openEnvelope(
      PushbackInputStream file, String fileName, EncryptionKeys keys) throws IOException {
    byte[] head = new byte[DumpCodec.MAGIC_LENGTH];
    int length = file.readNBytes(head, 0, head.length);
    if (DumpEncryption.isEncrypted(head, length)) {
      return DumpEncryption.decrypt(file, fileName, keys);
    }
    file.unread(head, 0, length);
    return null;
  }

  /** Recognises the compression from the first bytes and puts them back. */
  private static DumpCodec detect(PushbackInputStream raw, String fileName) throws IOException {
    byte[] head = new byte[DumpCodec.MAGIC_LENGTH];
    int length = raw.readNBytes(head, 0, head.length);
    raw.unread(head, 0, length);
    if (length == 0) {
      throw new InvalidBackupException(
          fileName,
          "the file is empty; it was probably cut short"
              + " during upload or copy; use another copy or an earlier backup");
    }
    return DumpCodec.detect(head, length)
        .orElseThrow(
            () ->
                new InvalidBackupException(
                    fileName,
                    "neither gzip nor zstd data (it starts with bytes "
                        + HexFormat.ofDelimiter(" ").formatHex(head, 0, length)
                        + "); a backup file is"
                        + " compressed JSON (is it a backup at all?)"));
  }

  /**
   * zstd-jni reports damaged or cut data as a plain IOException from its native decoder. Only a
   * zstd file runs that code, so the frame at the top tells the codec too.
   */
  private static boolean isZstdFailure(IOException e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length > 0 && trace[0].getClassName().startsWith("com.github.luben.zstd");
  }

  private static InvalidBackupException corrupt(String fileName, String codec, IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("runcated")) {
      return truncated(fileName, e);
    }
    return new InvalidBackupException(
        fileName,
        "corrupt "
            + codec
            + " data ("
            + message
            + "); the file was damaged in storage or transfer; use another copy or an earlier"
            + " backup",
        e);
  }

  /**
   * GZIPInputStream goes on to the next gzip member only if {@code available()} is positive when
   * one member ends. Network streams often say 0 there although more data follows, which would cut
   * a parallel-compressed file short; so this stream says 1 until the true end.
   */
  private static final class MemberAwareStream extends PushbackInputStream {
    MemberAwareStream(InputStream in) {
      super(in, DumpCodec.MAGIC_LENGTH);
    }

    @Override
    public int available() throws IOException {
      int n = super.available();
      if (n > 0) {
        return n;
      }
      int next = read();
      if (next < 0) {
        return 0;
      }
      unread(next);
      return 1;
    }
  }
}
