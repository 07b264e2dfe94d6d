package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.Document;

/**
 * Reads a dump file (format version {@value DumpHeader#FORMAT_VERSION}) in one streaming pass
 * and hands its entries to a {@link DumpVisitor} in file order: header, {@code Docs},
 * {@code Attachments}, {@code DocsDeletions}, {@code AttachmentsDeletions}. Memory stays
 * constant whatever the file size: attachment data is decoded while it is parsed.
 *
 * <p>Anything that makes the file untrustworthy is an {@link InvalidBackupException} naming the
 * file: neither gzip nor zstd, corrupt or truncated compressed data, a header whose
 * {@code Codec} is not the file's compression, JSON that is not UTF-8, invalid JSON (with its
 * position), a missing, unknown or misplaced section or field, another format version or
 * codec, an entry whose etag is outside the header's range or whose key or JSON text is beyond
 * the limits of {@link Document}, an attachment whose data does not match its {@code Size},
 * data after the JSON object; for an encrypted file also a key not offered and encrypted data
 * that does not authenticate (see {@link #read(InputStream, String, EncryptionKeys,
 * DumpVisitor)}). Failures of the input stream itself and of the visitor propagate unchanged.
 * The visitor may already have received entries when a problem
 * is found, so callers that change something verify the whole file first.
 */
public final class DumpReader {

  /**
   * Receives the content of a dump file. Every method does nothing by default.
   *
   * <p>Attachments use a sink: {@link #attachment} returns the stream to decode the content
   * into (or null to skip it), and the reader writes all of the content to it and then closes
   * it. This fits {@code RestoreBatch.putAttachment}, which returns such a stream, and keeps
   * memory bounded without a thread or a pipe.
   */
  public interface DumpVisitor {
    /** The header, before any entry. */
    default void header(DumpHeader header) throws IOException {}

    /**
     * One entry of {@code Docs}; metadata and body are JSON object text exactly as the file
     * holds it (the writer embeds the stored text unchanged).
     */
    default void document(String key, long etag, String metadataJson, String bodyJson)
        throws IOException {}

    /**
     * One entry of {@code Attachments}.
     *
     * @return where to write its {@code size} bytes of content (the reader closes it when they
     *     are written), or null to skip the content
     */
    default OutputStream attachment(String key, long etag, String metadataJson, long size)
        throws IOException {
      return null;
    }

    /** One entry of {@code DocsDeletions}. */
    default void documentDeletion(String key, long etag) throws IOException {}

    /** One entry of {@code AttachmentsDeletions}. */
    default void attachmentDeletion(String key, long etag) throws IOException {}
  }

  private static final List<String> SECTIONS = List.of(DumpJson.DOCS, DumpJson.ATTACHMENTS,
      DumpJson.DOCS_DELETIONS, DumpJson.ATTACHMENTS_DELETIONS);
  private static final Set<String> HEADER_FIELDS = Set.of("FormatVersion", "Database", "Type",
      "CreatedAt", "FromEtag", "ToEtag", "Codec", "Previous", "PreviousSha256", "Encryption",
      "KeyId");
  private static final List<String> CODECS = DumpCodec.names();
  /**
   * More UTF-8 bytes than {@link Document#MAX_JSON_LENGTH} chars can take, plus room for the
   * chunk the parser reads ahead.
   */
  private static final long MAX_JSON_BYTES = 3L * Document.MAX_JSON_LENGTH + (64 << 10);

  private final JsonParser json;
  private final RetainingInputStream tape;
  private final String fileName;
  private final DumpVisitor visitor;
  private final DumpCodec detected;
  private final String envelopeKeyId; // null for a plain file
  private DumpHeader header;

  private DumpReader(JsonParser json, RetainingInputStream tape, String fileName,
      DumpVisitor visitor, DumpCodec detected, String envelopeKeyId) {
    this.json = json;
    this.tape = tape;
    this.fileName = fileName;
    this.visitor = visitor;
    this.detected = detected;
    this.envelopeKeyId = envelopeKeyId;
  }

  /**
   * Parses the whole of {@code in} (compressed dump bytes, gzip or zstd), calling {@code visitor} for
   * each part in file order. Does not close {@code in}.
   *
   * @param fileName the file's name, for messages
   * @return the header
   * @throws InvalidBackupException naming {@code fileName} if the file is not a valid dump
   */
  public static DumpHeader read(InputStream in, String fileName, DumpVisitor visitor)
      throws IOException {
    return read(in, fileName, EncryptionKeys.none(), visitor);
  }

  /**
   * Parses the whole of {@code in} as {@link #read(InputStream, String, DumpVisitor)} does; an
   * encrypted file is decrypted with the key of {@code keys} whose key id its envelope names,
   * and read to its authenticated end.
   *
   * @throws InvalidBackupException naming {@code fileName} if the file is not a valid dump, is
   *     encrypted with a key not offered, or its encrypted data does not authenticate (damaged,
   *     truncated, extended or tampered with)
   */
  public static DumpHeader read(InputStream in, String fileName, EncryptionKeys keys,
      DumpVisitor visitor) throws IOException {
    requireNonNull(visitor, "visitor is null");
    return parse(in, fileName, keys, visitor, false);
  }

  /**
   * Reads only the header at the start of {@code in}: cheap, whatever the file size. Does not
   * check the rest of the file. Does not close {@code in}.
   */
  public static DumpHeader readHeader(InputStream in, String fileName) throws IOException {
    return readHeader(in, fileName, EncryptionKeys.none());
  }

  /** Reads only the header, decrypting with {@code keys} if the file is encrypted. */
  public static DumpHeader readHeader(InputStream in, String fileName, EncryptionKeys keys)
      throws IOException {
    return parse(in, fileName, keys, new DumpVisitor() {}, true);
  }

  private static DumpHeader parse(InputStream in, String fileName, EncryptionKeys keys,
      DumpVisitor visitor, boolean headerOnly) throws IOException {
    requireNonNull(in, "in is null");
    requireNonNull(fileName, "fileName is null");
    requireNonNull(keys, "keys is null");
    JsonParser json = null;
    InputStream decompressed = null;
    DumpCodec codec = null;
    try {
      // Closing the decompressor frees its native state at once; the caller's stream stays open.
      PushbackInputStream file = new PushbackInputStream(new FilterInputStream(in) {
        @Override
        public void close() {}
      }, DumpCodec.MAGIC_LENGTH);
      DumpEncryption.Opened decrypted = openEnvelope(file, fileName, keys);
      PushbackInputStream raw =
          new MemberAwareStream(decrypted == null ? file : decrypted.stream());
      codec = detect(raw, fileName);
      decompressed = switch (codec) {
        case GZIP -> new GZIPInputStream(raw, DumpJson.GZIP_BUFFER);
        case ZSTD -> new BufferedInputStream(new ZstdInputStream(raw), DumpJson.GZIP_BUFFER);
      };
      RetainingInputStream tape = new RetainingInputStream(decompressed);
      json = DumpJson.FACTORY.createParser(tape);
      DumpReader reader = new DumpReader(json, tape, fileName, visitor, codec,
          decrypted == null ? null : decrypted.keyId());
      reader.readHeaderObject();
      if (!headerOnly) {
        reader.readSections();
        if (decrypted != null) {
          requireAuthenticatedEnd(raw, fileName);
        }
      }
      return reader.header;
    } catch (VisitorFailure e) {
      throw e.getCause();
    } catch (JsonEOFException e) {
      throw truncated(fileName, e);
    } catch (StreamConstraintsException e) {
      throw new InvalidBackupException(fileName, "it goes beyond the reader's limits ("
          + e.getOriginalMessage() + "); no backup written by this software does, so the file"
          + " is damaged or hostile", e);
    } catch (StreamReadException e) {
      throw new InvalidBackupException(fileName, "invalid JSON " + at(e.getLocation()) + ": "
          + e.getOriginalMessage() + "; the file is damaged or was not written by a backup", e);
    } catch (EOFException e) {
      throw truncated(fileName, e);
    } catch (CharConversionException e) {
      // Jackson guesses UTF-16/32 from the first bytes and fails on such text as plain I/O.
      throw new InvalidBackupException(fileName, "the decompressed data is not UTF-8 JSON ("
          + e.getMessage() + "); the file is damaged or was not written by a backup", e);
    } catch (ZstdIOException e) {
      throw corrupt(fileName, "zstd", e);
    } catch (ZipException e) {
      throw corrupt(fileName, "gzip", e);
    } catch (IOException e) {
      if (codec == DumpCodec.ZSTD && isZstdFailure(e)) {
        throw corrupt(fileName, "zstd", e);
      }
      throw e;
    } finally {
      if (json != null) {
        json.close();
      }
      if (decompressed != null) {
        decompressed.close();
      }
    }
  }

  /**
   * Opens the encryption envelope if the file starts with one, else puts the bytes back and
   * returns null.
   */
  private static DumpEncryption.Opened openEnvelope(PushbackInputStream file, String fileName,
      EncryptionKeys keys) throws IOException {
    byte[] head = new byte[DumpCodec.MAGIC_LENGTH];
    int length = file.readNBytes(head, 0, head.length);
    if (DumpEncryption.isEncrypted(head, length)) {
      return DumpEncryption.decrypt(file, fileName, keys);
    }
    file.unread(head, 0, length);
    return null;
  }

  /**
   * Reads the decrypted stream to its end, so that the last segment's tag and its end-of-stream
   * mark are checked: a file cut at a segment boundary would otherwise pass. No backup holds
   * bytes after its compressed data.
   */
  private static void requireAuthenticatedEnd(InputStream raw, String fileName)
      throws IOException {
    byte[] rest = new byte[8192];
    long extra = 0;
    for (int n; (n = raw.read(rest)) >= 0; ) {
      extra += n;
    }
    if (extra > 0) {
      throw new InvalidBackupException(fileName, extra + " byte(s) follow the compressed data"
          + " inside the encrypted file; no backup holds any, so the file is not one of ours");
    }
  }

  /** Recognises the compression from the first bytes and puts them back. */
  private static DumpCodec detect(PushbackInputStream raw, String fileName) throws IOException {
    byte[] head = new byte[DumpCodec.MAGIC_LENGTH];
    int length = raw.readNBytes(head, 0, head.length);
    raw.unread(head, 0, length);
    if (length == 0) {
      throw new InvalidBackupException(fileName, "the file is empty; it was probably cut short"
          + " during upload or copy; use another copy or an earlier backup");
    }
    return DumpCodec.detect(head, length).orElseThrow(() -> new InvalidBackupException(fileName,
        "neither gzip nor zstd data (it starts with bytes "
            + HexFormat.ofDelimiter(" ").formatHex(head, 0, length) + "); a backup file is"
            + " compressed JSON (is it a backup at all?)"));
  }

  /**
   * GZIPInputStream goes on to the next gzip member only if {@code available()} is positive
   * when one member ends. Network streams often say 0 there although more data follows, which
   * would cut a parallel-compressed file short; so this stream says 1 until the true end.
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

  /** zstd-jni reports damaged or cut data as a plain IOException from its native decoder. */
  private static boolean isZstdFailure(IOException e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length > 0 && trace[0].getClassName().startsWith("com.github.luben.zstd");
  }

  private static InvalidBackupException corrupt(String fileName, String codec, IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("runcated")) {
      return truncated(fileName, e);
    }
    return new InvalidBackupException(fileName, "corrupt " + codec + " data (" + message
        + "); the file was damaged in storage or transfer; use another copy or an earlier"
        + " backup", e);
  }

  private static InvalidBackupException truncated(String fileName, IOException e) {
    return new InvalidBackupException(fileName, "the file is truncated (unexpected end of input);"
        + " it was probably cut short during upload or copy; use another copy or an earlier"
        + " backup", e);
  }

  private void readHeaderObject() throws IOException {
    if (json.nextToken() != JsonToken.START_OBJECT) {
      throw problem("the file does not start with a JSON object");
    }
    if (json.currentLocation().getByteOffset() < 0) {
      // Jackson reads UTF-16 and UTF-32 through a character reader, without byte offsets.
      throw problem("its JSON is not UTF-8; a backup file is UTF-8 JSON (RFC 8259)");
    }
    if (json.nextToken() != JsonToken.FIELD_NAME || !DumpJson.BACKUP.equals(json.currentName())) {
      throw problem("the file does not start with the \"Backup\" header object");
    }
    expect(JsonToken.START_OBJECT, "the \"Backup\" header");
    Integer version = null;
    String database = null;
    String type = null;
    String createdAt = null;
    Long fromEtag = null;
    Long toEtag = null;
    String codec = null;
    String previous = null;
    String previousSha256 = null;
    String encryption = null;
    String keyId = null;
    List<String> unknown = new ArrayList<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "FormatVersion" -> version = (int) Math.max(Integer.MIN_VALUE,
            Math.min(Integer.MAX_VALUE, longValue(value, "Backup.FormatVersion")));
        case "Database" -> database = text(value, "Backup.Database");
        case "Type" -> type = text(value, "Backup.Type");
        case "CreatedAt" -> createdAt = text(value, "Backup.CreatedAt");
        case "FromEtag" -> fromEtag = longValue(value, "Backup.FromEtag");
        case "ToEtag" -> toEtag = longValue(value, "Backup.ToEtag");
        case "Codec" -> codec = text(value, "Backup.Codec");
        case "Previous" -> previous = nullableText(value, "Backup.Previous");
        case "PreviousSha256" -> previousSha256 = nullableText(value, "Backup.PreviousSha256");
        case "Encryption" -> encryption = nullableText(value, "Backup.Encryption");
        case "KeyId" -> keyId = nullableText(value, "Backup.KeyId");
        default -> {
          unknown.add(field);
          json.skipChildren();
        }
      }
    }
    // The version first: a newer format may well have fields this one does not know.
    if (version == null) {
      throw problem("the header has no FormatVersion");
    }
    if (version != DumpHeader.FORMAT_VERSION) {
      throw problem("format version " + version + " is not supported by this version (supports "
          + DumpHeader.FORMAT_VERSION + "); restore it with the release that wrote it or a newer"
          + " one");
    }
    if (!unknown.isEmpty()) {
      throw problem("unknown header field(s) " + unknown + "; known: "
          + new TreeSet<>(HEADER_FIELDS) + " (the file is corrupt, or a newer version wrote it)");
    }
    List<String> missing = new ArrayList<>();
    addIfNull(missing, "Database", database);
    addIfNull(missing, "Type", type);
    addIfNull(missing, "CreatedAt", createdAt);
    addIfNull(missing, "FromEtag", fromEtag);
    addIfNull(missing, "ToEtag", toEtag);
    addIfNull(missing, "Codec", codec);
    if (!missing.isEmpty()) {
      throw problem("the header lacks field(s) " + missing);
    }
    if (!CODECS.contains(codec)) {
      throw problem("codec '" + codec + "' is not known to this version (knows " + CODECS + ")");
    }
    if (!codec.equals(detected.codecName())) {
      throw problem("its header says Codec '" + codec + "' but its data is "
          + detected.codecName() + "-compressed; the file was altered");
    }
    if (!java.util.Objects.equals(keyId, envelopeKeyId)) {
      throw problem(envelopeKeyId == null
          ? "its header says it is encrypted (KeyId " + keyId + ") but the file is not; the"
              + " file was altered"
          : "its encryption envelope names key id " + envelopeKeyId + " but its header says "
              + (keyId == null ? "no KeyId" : "KeyId " + keyId) + "; the file was altered");
    }
    try {
      header = new DumpHeader(version, database, BackupType.fromDisplayName(type),
          Instant.parse(createdAt), fromEtag, toEtag, codec, previous, previousSha256,
          encryption, keyId);
    } catch (DateTimeParseException e) {
      throw problem("the header's CreatedAt '" + createdAt + "' is not an ISO-8601 instant");
    } catch (IllegalArgumentException | NullPointerException e) {
      throw problem("invalid header: " + e.getMessage());
    }
    visit(() -> visitor.header(header));
  }

  private void readSections() throws IOException {
    for (String expected : SECTIONS) {
      JsonToken token = json.nextToken();
      if (token == JsonToken.END_OBJECT) {
        throw problem("section \"" + expected + "\" is missing");
      }
      String name = json.currentName();
      if (!expected.equals(name)) {
        throw problem(SECTIONS.contains(name) || DumpJson.BACKUP.equals(name)
            ? "section \"" + name + "\" is out of place; expected \"" + expected + "\" (order: "
                + SECTIONS + ")"
            : "unknown section \"" + name + "\"; expected \"" + expected + "\" (a version "
                + DumpHeader.FORMAT_VERSION + " file has Backup, " + String.join(", ", SECTIONS)
                + ")");
      }
      expect(JsonToken.START_ARRAY, "section \"" + name + "\"");
      long index = 0;
      while (json.nextToken() != JsonToken.END_ARRAY) {
        if (json.currentToken() != JsonToken.START_OBJECT) {
          throw problem("entry #" + index + " of \"" + name + "\" is not an object "
              + at(json.currentLocation()));
        }
        switch (name) {
          case DumpJson.DOCS -> readDocument(index);
          case DumpJson.ATTACHMENTS -> readAttachment(index);
          default -> readTombstone(name, index);
        }
        index++;
      }
    }
    if (json.nextToken() != JsonToken.END_OBJECT) {
      throw problem("unknown section \"" + json.currentName() + "\" after \""
          + DumpJson.ATTACHMENTS_DELETIONS + "\"");
    }
    try {
      if (json.nextToken() != null) {
        throw problem("trailing data after the JSON object " + at(json.currentLocation()));
      }
    } catch (JsonEOFException e) {
      throw problem("trailing data after the JSON object " + at(e.getLocation()));
    } catch (StreamReadException e) {
      throw problem("trailing data after the JSON object " + at(e.getLocation()));
    }
  }

  private void readDocument(long index) throws IOException {
    String key = null;
    Long etag = null;
    String metadata = null;
    String body = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case DumpJson.KEY -> key = text(value, "Docs[" + index + "].Key");
        case DumpJson.ETAG -> etag = longValue(value, "Docs[" + index + "].Etag");
        case DumpJson.METADATA ->
            metadata = rawObject(value, "Docs[" + index + "].Metadata", key);
        case DumpJson.BODY -> body = rawObject(value, "Docs[" + index + "].Body", key);
        default -> throw unknownField(DumpJson.DOCS, index, field, "Key, Etag, Metadata, Body");
      }
    }
    requireFields(DumpJson.DOCS, index, key, etag, metadata, body);
    checkKey(DumpJson.DOCS, index, key);
    checkEtag(DumpJson.DOCS, key, etag);
    String k = key;
    long e = etag;
    String m = metadata;
    String b = body;
    visit(() -> visitor.document(k, e, m, b));
  }

  private void readAttachment(long index) throws IOException {
    String key = null;
    Long etag = null;
    String metadata = null;
    Long size = null;
    boolean data = false;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case DumpJson.KEY -> key = text(value, "Attachments[" + index + "].Key");
        case DumpJson.ETAG -> etag = longValue(value, "Attachments[" + index + "].Etag");
        case DumpJson.METADATA -> metadata =
            rawObject(value, "Attachments[" + index + "].Metadata", key);
        case DumpJson.SIZE -> size = longValue(value, "Attachments[" + index + "].Size");
        case DumpJson.DATA -> {
          // Data is streamed to the visitor, so everything else must be known before it.
          requireFields(DumpJson.ATTACHMENTS, index, key, etag, metadata, size);
          checkKey(DumpJson.ATTACHMENTS, index, key);
          checkEtag(DumpJson.ATTACHMENTS, key, etag);
          if (size < 0) {
            throw problem("attachment '" + key + "': its Size is negative (" + size + ")");
          }
          if (value != JsonToken.VALUE_STRING) {
            throw problem("attachment '" + key + "': Data is not a base64 string");
          }
          readData(key, etag, metadata, size);
          data = true;
        }
        default -> throw unknownField(DumpJson.ATTACHMENTS, index, field,
            "Key, Etag, Metadata, Size, Data");
      }
    }
    if (!data) {
      throw problem("attachment #" + index + (key == null ? "" : " '" + key + "'")
          + " has no Data");
    }
  }

  private void readData(String key, long etag, String metadata, long size) throws IOException {
    OutputStream sink = visit(() -> visitor.attachment(key, etag, metadata, size));
    CountingSink counted = new CountingSink(sink == null ? OutputStream.nullOutputStream() : sink);
    try {
      json.readBinaryValue(DumpJson.BASE64, counted);
    } catch (IllegalArgumentException e) {
      // Jackson reports bad base64 (a damaged byte inside Data) this way, not as a parse error.
      throw problem("attachment '" + key + "': its Data is not valid base64 (" + e.getMessage()
          + "); the file is damaged");
    } finally {
      visit(() -> {
        counted.target.close();
        return null;
      });
    }
    if (counted.count != size) {
      throw problem("attachment '" + key + "': its Data holds " + counted.count
          + " bytes but its Size says " + size + "; the file is damaged");
    }
  }

  private void readTombstone(String section, long index) throws IOException {
    String key = null;
    Long etag = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case DumpJson.KEY -> key = text(value, section + "[" + index + "].Key");
        case DumpJson.ETAG -> etag = longValue(value, section + "[" + index + "].Etag");
        default -> throw unknownField(section, index, field, "Key, Etag");
      }
    }
    requireFields(section, index, key, etag);
    checkKey(section, index, key);
    checkEtag(section, key, etag);
    String k = key;
    long e = etag;
    visit(() -> {
      if (section.equals(DumpJson.DOCS_DELETIONS)) {
        visitor.documentDeletion(k, e);
      } else {
        visitor.attachmentDeletion(k, e);
      }
      return null;
    });
  }

  /**
   * Reads a JSON object value, checking every token (syntax; strings decoded, which checks
   * their UTF-8 and length limit; nesting), and returns its text exactly as the file holds it:
   * sliced from the input by the parser's byte offsets, not re-serialised token by token. The
   * text may hold up to {@link Document#MAX_JSON_LENGTH} chars: each string in it is bounded by
   * the parser, but not their number, so the slice is bounded here (a char takes at least one
   * byte and at most three per UTF-16 unit), keeping what is retained in memory bounded.
   *
   * @param key the entry's key if it came before this field, for the message
   */
  private String rawObject(JsonToken value, String what, String key) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      throw problem(what + " is not a JSON object " + at(json.currentLocation()));
    }
    long start = json.currentLocation().getByteOffset() - 1; // the '{' was just consumed
    tape.retainFrom(start);
    try {
      for (int depth = 1; depth > 0; ) {
        JsonToken token = json.nextToken();
        if (token == null) {
          throw new JsonEOFException(json, null, what + " is not closed");
        } else if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        } else if (token == JsonToken.VALUE_STRING) {
          json.getTextLength(); // decodes the string into the parser's buffer: checks, no copy
        }
        if (tape.retained() > MAX_JSON_BYTES) {
          throw tooLong(what, key);
        }
      }
      long end = json.currentLocation().getByteOffset(); // just after the '}'
      if (tape.byteAt(start) != '{' || tape.byteAt(end - 1) != '}') {
        throw new IllegalStateException("the parser's offsets " + start + " to " + end
            + " do not delimit " + what);
      }
      String text = tape.utf8(start, end);
      if (text.length() > Document.MAX_JSON_LENGTH) {
        throw tooLong(what, key);
      }
      return text;
    } finally {
      tape.release();
    }
  }

  private InvalidBackupException tooLong(String what, String key) {
    return problem(what + (key == null ? "" : " of '" + abbreviate(key) + "'") + " is longer"
        + " than " + Document.MAX_JSON_LENGTH + " chars, the most a document's metadata or"
        + " body may hold; no backup written by this software has one, so the file is damaged"
        + " or hostile");
  }

  private void checkKey(String section, long index, String key) throws InvalidBackupException {
    if (key.isEmpty()) {
      throw problem(section + " entry #" + index + " has an empty Key");
    }
    if (key.length() > Document.MAX_KEY_LENGTH) {
      throw problem(section + " entry #" + index + " '" + abbreviate(key) + "' has a Key of "
          + key.length() + " chars; the limit is " + Document.MAX_KEY_LENGTH);
    }
  }

  private static String abbreviate(String key) {
    return key.length() <= 60 ? key : key.substring(0, 60) + "…";
  }

  private String text(JsonToken value, String what) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      throw problem(what + " is not a string " + at(json.currentLocation()));
    }
    return json.getText();
  }

  private String nullableText(JsonToken value, String what) throws IOException {
    return value == JsonToken.VALUE_NULL ? null : text(value, what);
  }

  private long longValue(JsonToken value, String what) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw problem(what + " is not an integer " + at(json.currentLocation()));
    }
    return json.getLongValue();
  }

  private void expect(JsonToken token, String what) throws IOException {
    if (json.nextToken() != token) {
      throw problem(what + " is not a JSON " + (token == JsonToken.START_ARRAY ? "array" : "object")
          + " " + at(json.currentLocation()));
    }
  }

  private void checkEtag(String section, String key, long etag) throws InvalidBackupException {
    if (!header.covers(etag)) {
      throw problem(section + " entry '" + key + "' has etag " + etag + ", outside the file's"
          + " range (FromEtag " + header.fromEtag() + " < etag <= ToEtag " + header.toEtag()
          + "); the file is inconsistent");
    }
  }

  private void requireFields(String section, long index, Object... values)
      throws InvalidBackupException {
    String[] names = {DumpJson.KEY, DumpJson.ETAG, DumpJson.METADATA,
        DumpJson.ATTACHMENTS.equals(section) ? DumpJson.SIZE : DumpJson.BODY};
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      addIfNull(missing, names[i], values[i]);
    }
    if (!missing.isEmpty()) {
      String data = DumpJson.ATTACHMENTS.equals(section) ? " before Data" : "";
      throw problem(section + " entry #" + index + " lacks field(s) " + missing + data);
    }
  }

  private InvalidBackupException unknownField(String section, long index, String field,
      String known) {
    return problem(section + " entry #" + index + " has unknown field \"" + field + "\"; known: "
        + known);
  }

  private static void addIfNull(List<String> missing, String name, Object value) {
    if (value == null) {
      missing.add(name);
    }
  }

  private InvalidBackupException problem(String problem) {
    return new InvalidBackupException(fileName, problem);
  }

  private static String at(JsonLocation location) {
    return location == null ? "" : "(line " + location.getLineNr() + ", column "
        + location.getColumnNr() + " of the decompressed JSON)";
  }

  /** Runs a visitor call; its IOExceptions are its own and must not pass for file problems. */
  private static <T> T visit(IoCall<T> call) {
    try {
      return call.run();
    } catch (IOException e) {
      throw new VisitorFailure(e);
    }
  }

  private static void visit(IoAction action) {
    visit(() -> {
      action.run();
      return null;
    });
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T run() throws IOException;
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** Carries a visitor's IOException past the handlers that classify file problems. */
  private static final class VisitorFailure extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    VisitorFailure(IOException cause) {
      super(cause);
    }
  }


  /** Counts the decoded bytes (as a long) and marks the visitor's write failures as its own. */
  private static final class CountingSink extends FilterOutputStream {
    final OutputStream target;
    long count;

    CountingSink(OutputStream out) {
      super(out);
      this.target = out;
    }

    @Override
    public void write(int b) {
      visit(() -> out.write(b));
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      visit(() -> out.write(bytes, offset, length));
      count += length;
    }
  }
}
