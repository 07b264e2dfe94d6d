package org.periodicbackups.api.model;

import static java.util.Objects.requireNonNull;

/**
 * A JSON document as stored: its key, the etag of its last write, and its metadata and body as JSON
 * object text. The text is carried as it is, so that an export embeds it without parsing.
 *
 * @param key the document key, unique within a database
 * @param etag the etag of the write that produced this version
 * @param metadataJson a JSON object, for example {@code {"Raven-Entity-Name":"Users"}}
 * @param bodyJson a JSON object
 */
public record Document(String key, long etag, String metadataJson, String bodyJson) {
  /**
   * The longest key of a document or attachment, in UTF-16 chars. The embedded store refuses longer
   * (and empty) keys, and the dump reader refuses files that hold one.
   */
  public static final int MAX_KEY_LENGTH = 1024;

  /**
   * The longest metadata or body text of a document (and metadata of an attachment), in UTF-16
   * chars: the longest single JSON string Jackson reads by default. The embedded store refuses
   * longer text, and the dump reader refuses files that hold one, so a small hostile file cannot
   * make it build a huge document in memory.
   */
  public static final int MAX_JSON_LENGTH = 20_000_000;

  public Document {
    requireNonNull(key, "key is null");
    requireNonNull(metadataJson, "metadataJson is null");
    requireNonNull(bodyJson, "bodyJson is null");
    Etags.requireValid(etag, "etag");
  }
}
