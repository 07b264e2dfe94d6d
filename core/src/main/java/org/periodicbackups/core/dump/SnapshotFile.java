package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.api.source.SnapshotImage;

/**
 * A snapshot file: a full backup holding a physical image of the database instead of a logical dump
 * (setup {@code "BackupType": "Snapshot"}; docs/DESIGN.md, "Snapshot backups"). Like a dump it is
 * compressed (gzip or zstd) and optionally encrypted, with the same envelope; what it holds, once
 * decompressed, is:
 *
 * <ol>
 *   <li>the header as one line of JSON, {@code {"Backup": {…, "Image": {"Format": "pbk-sqlite",
 *       "Version": 2}}}} and a line feed ({@code zstd -dc file | head -1} shows it);
 *   <li>the image in frames: a 4-byte big-endian length of 1 to {@value #MAX_FRAME} and that many
 *       bytes, repeated; then a frame length of 0;
 *   <li>a trailer line, {@code {"Image": {"Size": <bytes>, "Sha256": "<hex>"}}} and a line feed,
 *       giving the image's size and SHA-256; nothing follows.
 * </ol>
 *
 * <p>The reader checks the frames, the size and the SHA-256 while it streams the image, and fails
 * with an {@link InvalidBackupException} naming the file before its image stream reports the end,
 * so that whatever consumes the image never takes a damaged one for complete.
 */
public final class SnapshotFile {
  /** The largest frame the writer makes and the reader accepts. */
  static final int MAX_FRAME = 1 << 20;

  private static final int MAX_LINE = 64 * 1024;

  private SnapshotFile() {}

  /** The image's size and SHA-256, as the trailer records them. */
  public record Trailer(long size, String sha256) {}

  /**
   * Writes a snapshot file of {@code image} to {@code out}, which stays open.
   *
   * @param header the file's header; it must name the image's format ({@link
   *     DumpHeader#withImage}), its codec {@code compression}'s and its key id {@code key}'s
   * @param key the key to encrypt with, or null for a plain file
   */
  public static Trailer write(
      OutputStream out,
      DumpHeader header,
      DumpCompression compression,
      EncryptionKey key,
      SnapshotImage image)
      throws IOException {
    requireNonNull(out, "out is null");
    requireNonNull(image, "image is null");
    if (!image.format().equals(header.image())) {
      throw new IllegalArgumentException(
          "the header says Image " + header.image() + " but the image is " + image.format());
    }
    if (!header.codec().equals(compression.codec().codecName())) {
      throw new IllegalArgumentException(
          "the header says codec '"
              + header.codec()
              + "' but the compression is '"
              + compression.codec().codecName()
              + "'");
    }
    if (!java.util.Objects.equals(header.keyId(), key == null ? null : key.keyId())) {
      throw new IllegalArgumentException("the header's KeyId is not the key's; use withEncryption");
    }
    OutputStream file = new BufferedOutputStream(nonClosing(out), DumpJson.GZIP_BUFFER);
    OutputStream encrypting = key == null ? null : DumpEncryption.encrypt(file, key);
    CompressedOutput compressed =
        CompressedOutput.open(encrypting == null ? file : encrypting, compression);
    boolean finished = false;
    try {
      OutputStream plain = compressed.stream();
      plain.write(headerLine(header));
      MessageDigest sha256 = sha256();
      ImageFrames.Framing frames = new ImageFrames.Framing(plain);
      DigestOutputStream digesting = new DigestOutputStream(frames, sha256);
      image.writeTo(digesting);
      digesting.flush();
      frames.end();
      Trailer trailer = new Trailer(frames.size, HexFormat.of().formatHex(sha256.digest()));
      plain.write(trailerLine(trailer));
      compressed.finish();
      if (encrypting != null) {
        encrypting.close();
      }
      file.flush();
      finished = true;
      return trailer;
    } finally {
      if (!finished) {
        compressed.abandon();
      }
    }
  }

  /** Receives the header and the image of a snapshot file being read. */
  @FunctionalInterface
  public interface ImageConsumer<T> {
    /**
     * Reads {@code image} (to its end, for the checks to run; what is left unread is read and
     * checked after this returns). The stream's end is reported only once the size and SHA-256
     * matched the trailer.
     */
    T accept(DumpHeader header, InputStream image) throws IOException;
  }

  /** What {@link #read} found: the header, the trailer, and the consumer's result. */
  public record Read<T>(DumpHeader header, Trailer trailer, T result) {}

  /**
   * Reads the snapshot file {@code in} (which stays open), handing its image to {@code consumer}.
   *
   * @throws InvalidBackupException naming {@code fileName} if the file is not a valid snapshot file
   */
  public static <T> Read<T> read(
      InputStream in, String fileName, EncryptionKeys keys, ImageConsumer<T> consumer)
      throws IOException {
    requireNonNull(in, "in is null");
    requireNonNull(fileName, "fileName is null");
    requireNonNull(keys, "keys is null");
    requireNonNull(consumer, "consumer is null");
    CompressedInput input = null;
    ReadAhead ahead = null;
    try {
      input = CompressedInput.open(in, fileName, keys);
      // Reading, decrypting, decompressing and hashing on one core, the consumer on another.
      ahead = ReadAhead.of(input.stream(), fileName);
      DataInputStream data = new DataInputStream(ahead);
      DumpHeader header = header(data, fileName, input);
      ImageFrames.Deframing image = new ImageFrames.Deframing(data, fileName);
      T result;
      try {
        result = consumer.accept(header, image);
      } catch (IOException | RuntimeException e) {
        // The consumer may wrap what the image stream threw; the file's fault comes first.
        if (image.failure != null) {
          if (image.failure != e) {
            image.failure.addSuppressed(e);
          }
          throw image.failure;
        }
        throw e;
      }
      image.drain();
      if (ahead.finish() > 0) {
        throw new InvalidBackupException(
            fileName, "bytes follow the image's trailer; no snapshot file holds any");
      }
      input.requireAuthenticatedEnd();
      return new Read<>(header, image.trailer, result);
    } catch (EOFException e) {
      throw CompressedInput.truncated(fileName, e);
    } catch (IOException e) {
      throw CompressedInput.failure(e, fileName);
    } finally {
      if (ahead != null) {
        ahead.close();
      }
      if (input != null) {
        input.close();
      }
    }
  }

  /**
   * Reads only the header of the snapshot file {@code in} (which stays open): cheap, whatever the
   * image's size; does not check the rest of the file.
   */
  public static DumpHeader readHeader(InputStream in, String fileName, EncryptionKeys keys)
      throws IOException {
    CompressedInput input = CompressedInput.open(in, fileName, keys);
    try {
      return header(new DataInputStream(input.stream()), fileName, input);
    } catch (EOFException e) {
      throw CompressedInput.truncated(fileName, e);
    } finally {
      input.close();
    }
  }

  private static DumpHeader header(DataInputStream data, String fileName, CompressedInput input)
      throws IOException {
    byte[] line = line(data, fileName, "header");
    try (JsonParser json = DumpJson.FACTORY.createParser(line)) {
      DumpHeader header = new DumpHeaderReader(json, fileName, input.codec(), input.keyId()).read();
      if (json.nextToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
        throw new InvalidBackupException(
            fileName, "its header line holds more than the \"Backup\" object");
      }
      if (!header.isImage()) {
        throw new InvalidBackupException(
            fileName, "its header has no Image, so it is not a snapshot file");
      }
      return header;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new InvalidBackupException(
          fileName, "its header line is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static byte[] line(InputStream in, String fileName, String what) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new EOFException("the file ends inside its " + what + " line");
      }
      if (line.size() >= MAX_LINE) {
        throw new InvalidBackupException(
            fileName,
            "its "
                + what
                + " line is longer than "
                + MAX_LINE
                + " bytes; the file is damaged or not a snapshot file");
      }
      line.write(b);
    }
    return line.toByteArray();
  }

  private static byte[] headerLine(DumpHeader header) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (JsonGenerator json = DumpJson.FACTORY.createGenerator(bytes)) {
      json.writeStartObject();
      DumpHeaderWriter.write(json, header);
      json.writeEndObject();
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  private static byte[] trailerLine(Trailer trailer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (JsonGenerator json = DumpJson.FACTORY.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeObjectFieldStart("Image");
      json.writeNumberField("Size", trailer.size());
      json.writeStringField("Sha256", trailer.sha256());
      json.writeEndObject();
      json.writeEndObject();
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  static Trailer trailer(byte[] line, String fileName) throws IOException {
    try (JsonParser json = DumpJson.FACTORY.createParser(line)) {
      Long size = null;
      String sha256 = null;
      if (json.nextToken() != JsonToken.START_OBJECT
          || json.nextToken() != JsonToken.FIELD_NAME
          || !"Image".equals(json.currentName())
          || json.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidBackupException(fileName, "its trailer is not {\"Image\": {…}}");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if ("Size".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
          size = json.getLongValue();
        } else if ("Sha256".equals(field) && value == JsonToken.VALUE_STRING) {
          sha256 = json.getText();
        } else {
          throw new InvalidBackupException(fileName, "its trailer has an unknown field " + field);
        }
      }
      if (json.nextToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
        throw new InvalidBackupException(fileName, "its trailer holds more than the Image object");
      }
      if (size == null || sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
        throw new InvalidBackupException(
            fileName, "its trailer needs a Size and a Sha256 of 64 lower-case hex digits");
      }
      return new Trailer(size, sha256);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new InvalidBackupException(
          fileName, "its trailer is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static MessageDigest sha256() {
    return ContentDigest.sha256();
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }
}
