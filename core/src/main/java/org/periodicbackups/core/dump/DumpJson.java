package org.periodicbackups.core.dump;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;

/** The Jackson settings and field names shared by the dump writer and reader. */
final class DumpJson {
  static final String BACKUP = "Backup";
  static final String DOCS = "Docs";
  static final String ATTACHMENTS = "Attachments";
  static final String DOCS_DELETIONS = "DocsDeletions";
  static final String ATTACHMENTS_DELETIONS = "AttachmentsDeletions";

  static final String KEY = "Key";
  static final String ETAG = "Etag";
  static final String METADATA = "Metadata";
  static final String BODY = "Body";
  static final String SIZE = "Size";
  static final String DATA = "Data";

  /** Standard base64 with padding and no line breaks, as {@code base64 -d} reads it. */
  static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS;

  /** Buffer of the gzip streams: large enough that the compressor is not called byte by byte. */
  static final int GZIP_BUFFER = 64 * 1024;

  /**
   * Streams are owned by the writer and reader, never closed by Jackson. Strings inside documents
   * are held whole, so their length stays bounded (Jackson's default, the same limit the embedded
   * store applies when a document is put: every document it holds passes), and so does nesting: a
   * small hostile file cannot make the reader build gigabytes. Attachment data is decoded while
   * streaming and never becomes one string.
   */
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(StreamReadConstraints.DEFAULT_MAX_STRING_LEN)
                  .maxNestingDepth(StreamReadConstraints.DEFAULT_MAX_DEPTH)
                  .build())
          .build();

  private DumpJson() {}
}
