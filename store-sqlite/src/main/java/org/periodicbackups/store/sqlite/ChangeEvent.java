package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

/**
 * One committed write, as delivered to a {@link ChangeListener}.
 *
 * @param kind whether a document (system documents included) or an attachment changed
 * @param key the key written
 * @param etag the etag of the write
 * @param deleted whether the write was a delete
 */
public record ChangeEvent(Kind kind, String key, long etag, boolean deleted) {

  /** What kind of item changed. */
  public enum Kind {
    /** A document, including system documents such as the backup setup. */
    DOCUMENT,
    /** An attachment. */
    ATTACHMENT
  }

  public ChangeEvent {
    requireNonNull(kind, "kind is null");
    requireNonNull(key, "key is null");
  }
}
