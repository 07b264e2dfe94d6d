package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.Tombstone;

/**
 * Writes one dump file (format version {@value DumpHeader#FORMAT_VERSION}, or {@value
 * DumpHeader#LEASE_FORMAT_VERSION} when written under a lease): the header, then the sections
 * {@code Docs}, {@code Attachments}, {@code DocsDeletions} and {@code AttachmentsDeletions}, in
 * that order, compressed with the header's codec (see {@link DumpCompression}) and, given a key,
 * encrypted (see {@link EncryptionKey}), in constant memory.
 *
 * <p>Usage: {@link #open}, any number of {@code write…} calls (each section after the earlier ones;
 * a section never written is still present, empty), {@link #finish()}, {@link #close()}. Closing
 * without {@link #finish()} abandons the file: it is left incomplete and unreadable, and the caller
 * deletes it. Not thread-safe.
 */
public final class DumpWriter implements Closeable {

  private enum Section {
    DOCS(DumpJson.DOCS),
    ATTACHMENTS(DumpJson.ATTACHMENTS),
    DOCS_DELETIONS(DumpJson.DOCS_DELETIONS),
    ATTACHMENTS_DELETIONS(DumpJson.ATTACHMENTS_DELETIONS);

    final String jsonName;

    Section(String jsonName) {
      this.jsonName = jsonName;
    }
  }

  private final OutputStream out;
  private final OutputStream encrypting; // null for a plain file
  private final CompressedOutput compressed;
  private final JsonGenerator json;
  private final DumpHeader header;
  private Section section; // the open section; null before the first
  private boolean finished;
  private boolean closed;
  private long documents;
  private long attachments;
  private long documentDeletions;
  private long attachmentDeletions;

  private DumpWriter(
      OutputStream out, DumpCompression compression, DumpHeader header, EncryptionKey key)
      throws IOException {
    this.out = out;
    this.header = header;
    OutputStream file = new BufferedOutputStream(out, DumpJson.GZIP_BUFFER);
    // JSON -> compressor -> encryptor -> file: compressing first, as ciphertext does not compress.
    this.encrypting = key == null ? null : DumpEncryption.encrypt(file, key);
    this.compressed = CompressedOutput.open(encrypting == null ? file : encrypting, compression);
    this.json = DumpJson.FACTORY.createGenerator(compressed.stream());
  }

  /**
   * Opens a writer with the header's codec at its default level, compressing in the calling thread;
   * see {@link #open(OutputStream, DumpHeader, DumpCompression)}.
   */
  public static DumpWriter open(OutputStream out, DumpHeader header) throws IOException {
    requireNonNull(header, "header is null");
    DumpCodec codec =
        DumpCodec.named(header.codec())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown codec '" + header.codec() + "'; known: " + DumpCodec.names()));
    return open(out, header, DumpCompression.of(codec, null, 1));
  }

  /**
   * Opens a gzip writer at {@code gzipLevel}, compressing in the calling thread.
   *
   * @param gzipLevel 1 (fastest) to 9 (smallest), or {@link Deflater#DEFAULT_COMPRESSION}
   */
  public static DumpWriter open(OutputStream out, DumpHeader header, int gzipLevel)
      throws IOException {
    if (gzipLevel != Deflater.DEFAULT_COMPRESSION && (gzipLevel < 1 || gzipLevel > 9)) {
      throw new IllegalArgumentException("gzip level must be 1 to 9 but was " + gzipLevel);
    }
    return open(
        out,
        header,
        DumpCompression.of(
            DumpCodec.GZIP, gzipLevel == Deflater.DEFAULT_COMPRESSION ? null : gzipLevel, 1));
  }

  /**
   * Starts a dump file on {@code out} and writes {@code header}. The writer owns {@code out} from
   * now on and closes it in {@link #close()}.
   *
   * @param compression the codec, level and threads; its codec must be the header's
   * @throws IllegalArgumentException if the header's format version is not the one this writer
   *     produces, or its codec is not {@code compression}'s
   */
  public static DumpWriter open(OutputStream out, DumpHeader header, DumpCompression compression)
      throws IOException {
    return open(out, header, compression, null);
  }

  /**
   * Starts a dump file on {@code out} as {@link #open(OutputStream, DumpHeader, DumpCompression)}
   * does, encrypted with {@code key} when it is not null: the file then starts with the encryption
   * envelope and holds the compressed dump encrypted in segments (see {@code docs/ENCRYPTION.md}).
   *
   * @param key the key to encrypt with, or null for a plain file; the header's {@code KeyId} must
   *     be its key id ({@link DumpHeader#withEncryption})
   */
  public static DumpWriter open(
      OutputStream out, DumpHeader header, DumpCompression compression, EncryptionKey key)
      throws IOException {
    requireNonNull(out, "out is null");
    requireNonNull(header, "header is null");
    if (header.formatVersion() < DumpHeader.FORMAT_VERSION
        || header.formatVersion() > DumpHeader.NEWEST_FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "this writer produces format versions "
              + DumpHeader.FORMAT_VERSION
              + " and "
              + DumpHeader.NEWEST_FORMAT_VERSION
              + ", not "
              + header.formatVersion());
    }
    if (header.isImage()) {
      throw new IllegalArgumentException(
          "the header is a snapshot's (Image " + header.image() + "); write it with SnapshotFile");
    }
    requireNonNull(compression, "compression is null");
    if (!header.codec().equals(compression.codec().codecName())) {
      throw new IllegalArgumentException(
          "the header says codec '"
              + header.codec()
              + "' but the compression is '"
              + compression.codec().codecName()
              + "'");
    }
    String keyId = key == null ? null : key.keyId();
    if (!java.util.Objects.equals(header.keyId(), keyId)) {
      throw new IllegalArgumentException(
          "the header says KeyId "
              + header.keyId()
              + " but the file is "
              + (key == null ? "not encrypted" : "encrypted with key id " + keyId)
              + "; use DumpHeader.withEncryption");
    }
    DumpWriter writer = new DumpWriter(out, compression, header, key);
    try {
      writer.writeHeader();
    } catch (IOException | RuntimeException e) {
      writer.close();
      throw e;
    }
    return writer;
  }

  private void writeHeader() throws IOException {
    json.writeStartObject();
    DumpHeaderWriter.write(json, header);
  }

  /**
   * Appends a document to {@code Docs}. Its metadata and body are embedded as they are, without
   * parsing; they must be JSON objects.
   */
  public void writeDocument(Document document) throws IOException {
    requireNonNull(document, "document is null");
    checkEntry(document.key(), document.etag());
    requireObject(document.key(), "metadata", document.metadataJson());
    requireObject(document.key(), "body", document.bodyJson());
    enter(Section.DOCS);
    json.writeStartObject();
    json.writeStringField(DumpJson.KEY, document.key());
    json.writeNumberField(DumpJson.ETAG, document.etag());
    json.writeFieldName(DumpJson.METADATA);
    json.writeRawValue(document.metadataJson());
    json.writeFieldName(DumpJson.BODY);
    json.writeRawValue(document.bodyJson());
    json.writeEndObject();
    documents++;
  }

  /**
   * Appends an attachment to {@code Attachments}, streaming {@code content} as base64. Does not
   * close {@code content}.
   *
   * @throws IOException naming the key if {@code content} holds more or fewer bytes than {@code
   *     info.size()}; the file is then unusable and must be abandoned
   */
  public void writeAttachment(AttachmentInfo info, InputStream content) throws IOException {
    requireNonNull(info, "info is null");
    requireNonNull(content, "content is null");
    checkEntry(info.key(), info.etag());
    requireObject(info.key(), "metadata", info.metadataJson());
    enter(Section.ATTACHMENTS);
    json.writeStartObject();
    json.writeStringField(DumpJson.KEY, info.key());
    json.writeNumberField(DumpJson.ETAG, info.etag());
    json.writeFieldName(DumpJson.METADATA);
    json.writeRawValue(info.metadataJson());
    json.writeNumberField(DumpJson.SIZE, info.size());
    json.writeFieldName(DumpJson.DATA);
    // Unknown length (-1): Jackson reads to the end in chunks, and sizes over 2 GiB work.
    CountingInputStream counted = new CountingInputStream(content);
    json.writeBinary(DumpJson.BASE64, counted, -1);
    long written = counted.count();
    if (written != info.size()) {
      throw new IOException(
          "attachment '"
              + info.key()
              + "': its content has "
              + written
              + " bytes but its size says "
              + info.size()
              + "; was it changed during the backup?");
    }
    json.writeEndObject();
    attachments++;
  }

  /** Appends a document tombstone to {@code DocsDeletions}. */
  public void writeDocumentDeletion(Tombstone tombstone) throws IOException {
    requireNonNull(tombstone, "tombstone is null");
    checkEntry(tombstone.key(), tombstone.etag());
    enter(Section.DOCS_DELETIONS);
    writeTombstone(tombstone);
    documentDeletions++;
  }

  /** Appends an attachment tombstone to {@code AttachmentsDeletions}. */
  public void writeAttachmentDeletion(Tombstone tombstone) throws IOException {
    requireNonNull(tombstone, "tombstone is null");
    checkEntry(tombstone.key(), tombstone.etag());
    enter(Section.ATTACHMENTS_DELETIONS);
    writeTombstone(tombstone);
    attachmentDeletions++;
  }

  private void writeTombstone(Tombstone tombstone) throws IOException {
    json.writeStartObject();
    json.writeStringField(DumpJson.KEY, tombstone.key());
    json.writeNumberField(DumpJson.ETAG, tombstone.etag());
    json.writeEndObject();
  }

  /**
   * Closes the remaining sections and the JSON object, completes the compressed data and flushes
   * everything to the output stream (which stays open until {@link #close()}).
   *
   * @return how many entries of each kind were written
   */
  public DumpCounts finish() throws IOException {
    enter(Section.ATTACHMENTS_DELETIONS);
    json.writeEndArray();
    json.writeEndObject();
    json.close(); // flushes into the compressor; does not close it (AUTO_CLOSE_TARGET is off)
    compressed.finish();
    if (encrypting != null) {
      encrypting.close(); // the last segment, marked as last; the file stream stays open
    }
    finished = true;
    return new DumpCounts(documents, attachments, documentDeletions, attachmentDeletions);
  }

  /**
   * Closes the output stream. After {@link #finish()} the file is complete; without it the file is
   * left incomplete (no end of the compressed data), so that it can never pass for a valid backup.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!finished) {
      compressed.abandon();
    }
    out.close();
  }

  /** Opens {@code target} and every section before it; refuses to go back to an earlier one. */
  private void enter(Section target) throws IOException {
    if (finished || closed) {
      throw new IllegalStateException("the dump is already " + (finished ? "finished" : "closed"));
    }
    if (section != null && target.ordinal() < section.ordinal()) {
      throw new IllegalStateException(
          "cannot write to "
              + target.jsonName
              + " after "
              + section.jsonName
              + "; sections are written in the order Docs, Attachments,"
              + " DocsDeletions, AttachmentsDeletions");
    }
    while (section != target) {
      if (section != null) {
        json.writeEndArray();
      }
      section = section == null ? Section.DOCS : Section.values()[section.ordinal() + 1];
      json.writeArrayFieldStart(section.jsonName);
    }
  }

  /**
   * Refuses what the reader would refuse, so that a source with an entry beyond the limits fails
   * its backup run, naming the key, instead of writing a file no restore could read.
   */
  private void checkEntry(String key, long etag) {
    if (key.isEmpty() || key.length() > Document.MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "the key '"
              + abbreviate(key)
              + "' has "
              + key.length()
              + " chars; a key has 1 to "
              + Document.MAX_KEY_LENGTH
              + " chars");
    }
    if (!header.covers(etag)) {
      throw new IllegalArgumentException(
          "'"
              + key
              + "' has etag "
              + etag
              + ", outside this"
              + " file's range "
              + header.fromEtag()
              + " < etag <= "
              + header.toEtag());
    }
  }

  /** A cheap guard against text that would make the file unreadable; no full parse. */
  private static void requireObject(String key, String what, String jsonText) {
    if (jsonText.length() > Document.MAX_JSON_LENGTH) {
      throw new IllegalArgumentException(
          "'"
              + key
              + "': the "
              + what
              + " has "
              + jsonText.length()
              + " chars, more than the "
              + Document.MAX_JSON_LENGTH
              + " a backup can hold and restore");
    }
    for (int i = 0; i < jsonText.length(); i++) {
      char c = jsonText.charAt(i);
      if (!Character.isWhitespace(c)) {
        if (c == '{') {
          return;
        }
        break;
      }
    }
    throw new IllegalArgumentException("'" + key + "': the " + what + " is not a JSON object");
  }

  /** Counts bytes read, as a long: Jackson's own count is an int. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  private static String abbreviate(String key) {
    return key.length() <= 80 ? key : key.substring(0, 80) + "…";
  }
}
