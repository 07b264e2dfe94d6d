package org.periodicbackups.core.dump;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.Document;

/**
 * Reads the sections of a dump file after its header, {@code Docs}, {@code Attachments}, {@code
 * DocsDeletions}, {@code AttachmentsDeletions} in that order, checks every entry and hands it to
 * the visitor, then checks that nothing follows the JSON object. Metadata and bodies are handed out
 * as the file holds them, sliced from the {@link RetainingInputStream}; attachment data is decoded
 * into the visitor's sink while it is parsed.
 *
 * <p>A visitor's own {@link IOException} leaves as a {@link VisitorFailure}, so that it is not
 * taken for a problem of the file.
 */
final class DumpSectionReader extends DumpPartReader {
  private static final List<String> SECTIONS =
      List.of(
          DumpJson.DOCS,
          DumpJson.ATTACHMENTS,
          DumpJson.DOCS_DELETIONS,
          DumpJson.ATTACHMENTS_DELETIONS);

  /**
   * More UTF-8 bytes than {@link Document#MAX_JSON_LENGTH} chars can take, plus room for the chunk
   * the parser reads ahead.
   */
  private static final long MAX_JSON_BYTES = 3L * Document.MAX_JSON_LENGTH + (64 << 10);

  private final RetainingInputStream tape;
  private final DumpHeader header;
  private final DumpVisitor visitor;

  /**
   * @param tape the stream {@code json} reads from
   * @param header the file's header, for the etag range of its entries
   */
  DumpSectionReader(
      JsonParser json,
      RetainingInputStream tape,
      String fileName,
      DumpHeader header,
      DumpVisitor visitor) {
    super(json, fileName);
    this.tape = tape;
    this.header = header;
    this.visitor = visitor;
  }

  /**
   * Reads every section to the end of the file.
   *
   * @throws InvalidBackupException naming the file at the first problem; the visitor may have
   *     received entries before it
   */
  void read() throws IOException {
    for (String expected : SECTIONS) {
      JsonToken token = json.nextToken();
      if (token == JsonToken.END_OBJECT) {
        throw problem("section \"" + expected + "\" is missing");
      }
      String name = json.currentName();
      if (!expected.equals(name)) {
        throw problem(
            SECTIONS.contains(name) || DumpJson.BACKUP.equals(name)
                ? "section \""
                    + name
                    + "\" is out of place; expected \""
                    + expected
                    + "\" (order: "
                    + SECTIONS
                    + ")"
                : "unknown section \""
                    + name
                    + "\"; expected \""
                    + expected
                    + "\" (a version "
                    + DumpHeader.NEWEST_FORMAT_VERSION
                    + " file has Backup, "
                    + String.join(", ", SECTIONS)
                    + ")");
      }
      expect(JsonToken.START_ARRAY, "section \"" + name + "\"");
      long index = 0;
      while (json.nextToken() != JsonToken.END_ARRAY) {
        if (json.currentToken() != JsonToken.START_OBJECT) {
          throw problem(
              "entry #"
                  + index
                  + " of \""
                  + name
                  + "\" is not an object "
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
      throw problem(
          "unknown section \""
              + json.currentName()
              + "\" after \""
              + DumpJson.ATTACHMENTS_DELETIONS
              + "\"");
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
        case DumpJson.METADATA -> metadata = rawObject(value, "Docs[" + index + "].Metadata", key);
        case DumpJson.BODY -> body = rawObject(value, "Docs[" + index + "].Body", key);
        default -> throw unknownField(DumpJson.DOCS, index, field, "Key, Etag, Metadata, Body");
      }
    }
    requireFields(DumpJson.DOCS, index, key, etag, metadata, body);
    checkKey(DumpJson.DOCS, index, key);
    checkEtag(DumpJson.DOCS, key, etag);
    try {
      visitor.document(key, etag, metadata, body);
    } catch (IOException e) {
      throw new VisitorFailure(e);
    }
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
        case DumpJson.METADATA ->
            metadata = rawObject(value, "Attachments[" + index + "].Metadata", key);
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
        default ->
            throw unknownField(
                DumpJson.ATTACHMENTS, index, field, "Key, Etag, Metadata, Size, Data");
      }
    }
    if (!data) {
      throw problem(
          "attachment #" + index + (key == null ? "" : " '" + key + "'") + " has no Data");
    }
  }

  private void readData(String key, long etag, String metadata, long size) throws IOException {
    OutputStream sink;
    try {
      sink = visitor.attachment(key, etag, metadata, size);
    } catch (IOException e) {
      throw new VisitorFailure(e);
    }
    CountingSink counted = new CountingSink(sink == null ? OutputStream.nullOutputStream() : sink);
    try {
      json.readBinaryValue(DumpJson.BASE64, counted);
    } catch (IllegalArgumentException e) {
      // Jackson reports bad base64 (a damaged byte inside Data) this way, not as a parse error.
      throw problem(
          "attachment '"
              + key
              + "': its Data is not valid base64 ("
              + e.getMessage()
              + "); the file is damaged");
    } finally {
      try {
        counted.target.close();
      } catch (IOException e) {
        throw new VisitorFailure(e);
      }
    }
    if (counted.count != size) {
      throw problem(
          "attachment '"
              + key
              + "': its Data holds "
              + counted.count
              + " bytes but its Size says "
              + size
              + "; the file is damaged");
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
    try {
      if (section.equals(DumpJson.DOCS_DELETIONS)) {
        visitor.documentDeletion(key, etag);
      } else {
        visitor.attachmentDeletion(key, etag);
      }
    } catch (IOException e) {
      throw new VisitorFailure(e);
    }
  }

  /**
   * Reads a JSON object value, checking every token (syntax; strings decoded, which checks their
   * UTF-8 and length limit; nesting), and returns its text exactly as the file holds it: sliced
   * from the input by the parser's byte offsets, not re-serialised token by token. The text may
   * hold up to {@link Document#MAX_JSON_LENGTH} chars: each string in it is bounded by the parser,
   * but not their number, so the slice is bounded here (a char takes at least one byte and at most
   * three per UTF-16 unit), keeping what is retained in memory bounded.
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
        throw new IllegalStateException(
            "the parser's offsets " + start + " to " + end + " do not delimit " + what);
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
    return problem(
        what
            + (key == null ? "" : " of '" + abbreviate(key) + "'")
            + " is longer"
            + " than "
            + Document.MAX_JSON_LENGTH
            + " chars, the most a document's metadata or"
            + " body may hold; no backup written by this software has one, so the file is damaged"
            + " or hostile");
  }

  private void checkKey(String section, long index, String key) throws InvalidBackupException {
    if (key.isEmpty()) {
      throw problem(section + " entry #" + index + " has an empty Key");
    }
    if (key.length() > Document.MAX_KEY_LENGTH) {
      throw problem(
          section
              + " entry #"
              + index
              + " '"
              + abbreviate(key)
              + "' has a Key of "
              + key.length()
              + " chars; the limit is "
              + Document.MAX_KEY_LENGTH);
    }
  }

  private void checkEtag(String section, String key, long etag) throws InvalidBackupException {
    if (!header.covers(etag)) {
      throw problem(
          section
              + " entry '"
              + key
              + "' has etag "
              + etag
              + ", outside the file's"
              + " range (FromEtag "
              + header.fromEtag()
              + " < etag <= ToEtag "
              + header.toEtag()
              + "); the file is inconsistent");
    }
  }

  private void requireFields(String section, long index, Object... values)
      throws InvalidBackupException {
    String[] names = {
      DumpJson.KEY,
      DumpJson.ETAG,
      DumpJson.METADATA,
      DumpJson.ATTACHMENTS.equals(section) ? DumpJson.SIZE : DumpJson.BODY
    };
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      addIfNull(missing, names[i], values[i]);
    }
    if (!missing.isEmpty()) {
      String data = DumpJson.ATTACHMENTS.equals(section) ? " before Data" : "";
      throw problem(section + " entry #" + index + " lacks field(s) " + missing + data);
    }
  }

  private InvalidBackupException unknownField(
      String section, long index, String field, String known) {
    return problem(
        section + " entry #" + index + " has unknown field \"" + field + "\"; known: " + known);
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
      try {
        out.write(b);
      } catch (IOException e) {
        throw new VisitorFailure(e);
      }
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      try {
        out.write(bytes, offset, length);
      } catch (IOException e) {
        throw new VisitorFailure(e);
      }
      count += length;
    }
  }
}
