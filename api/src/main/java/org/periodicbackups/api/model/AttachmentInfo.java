package org.periodicbackups.api.model;

import static java.util.Objects.requireNonNull;

/**
 * An attachment's identity and metadata. Its bytes travel separately, as a stream, so that no
 * attachment is ever held whole in memory.
 *
 * @param key the attachment key, unique among the attachments of a database
 * @param etag the etag of the write that produced this version
 * @param metadataJson a JSON object
 * @param size the number of bytes of content
 */
public record AttachmentInfo(String key, long etag, String metadataJson, long size) {
  public AttachmentInfo {
    requireNonNull(key, "key is null");
    requireNonNull(metadataJson, "metadataJson is null");
    Etags.requireValid(etag, "etag");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0 but was " + size);
    }
  }
}
