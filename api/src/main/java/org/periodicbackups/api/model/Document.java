package org.periodicbackups.api.model;

import static java.util.Objects.requireNonNull;

/**
 * A JSON document as stored: its key, the etag of its last write, and its metadata and body as
 * JSON object text. The text is carried as it is, so that an export embeds it without parsing.
 *
 * @param key the document key, unique within a database
 * @param etag the etag of the write that produced this version
 * @param metadataJson a JSON object, for example {@code {"Raven-Entity-Name":"Users"}}
 * @param bodyJson a JSON object
 */
public record Document(String key, long etag, String metadataJson, String bodyJson) {
  public Document {
    requireNonNull(key, "key is null");
    requireNonNull(metadataJson, "metadataJson is null");
    requireNonNull(bodyJson, "bodyJson is null");
    Etags.requireValid(etag, "etag");
  }
}
