package org.periodicbackups.core.dump;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Receives the content of a dump file from {@link DumpReader}, in file order. Every method does
 * nothing by default.
 *
 * <p>Attachments use a sink: {@link #attachment} returns the stream to decode the content into (or
 * null to skip it), and the reader writes all of the content to it and then closes it. This fits
 * {@code RestoreBatch.putAttachment}, which returns such a stream, and keeps memory bounded without
 * a thread or a pipe.
 */
public interface DumpVisitor {
  /** The header, before any entry. */
  default void header(DumpHeader header) throws IOException {}

  /**
   * One entry of {@code Docs}; metadata and body are JSON object text exactly as the file holds it
   * (the writer embeds the stored text unchanged).
   */
  default void document(String key, long etag, String metadataJson, String bodyJson)
      throws IOException {}

  /**
   * One entry of {@code Attachments}.
   *
   * @return where to write its {@code size} bytes of content (the reader closes it when they are
   *     written), or null to skip the content
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
