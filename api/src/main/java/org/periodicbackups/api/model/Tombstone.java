package org.periodicbackups.api.model;

import static java.util.Objects.requireNonNull;

/**
 * The record that a document or attachment was deleted.
 *
 * @param key the key of the deleted document or attachment
 * @param etag the etag of the delete
 */
public record Tombstone(String key, long etag) {
  public Tombstone {
    requireNonNull(key, "key is null");
    Etags.requireValid(etag, "etag");
  }
}
