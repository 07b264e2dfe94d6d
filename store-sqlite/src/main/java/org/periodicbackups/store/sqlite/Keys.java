package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.SystemDocuments;

/** Rules for document and attachment keys. */
final class Keys {
  /** Longest key accepted, in UTF-16 chars. */
  static final int MAX_LENGTH = Document.MAX_KEY_LENGTH;

  private Keys() {}

  /** Returns {@code key} if it is non-empty and at most {@link #MAX_LENGTH} chars long. */
  static String requireValid(String key, String what) {
    requireNonNull(key, what + " key is null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException(what + " key must not be empty");
    }
    if (key.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(what + " key '" + key.substring(0, 40) + "…' is "
          + key.length() + " chars long; the limit is " + MAX_LENGTH);
    }
    return key;
  }

  /** Returns {@code key} if it is a valid key starting with {@code Raven/}. */
  static String requireSystem(String key) {
    requireValid(key, "system document");
    if (!SystemDocuments.isSystemKey(key)) {
      throw new IllegalArgumentException("system document key '" + key + "' must start with '"
          + SystemDocuments.PREFIX + "'");
    }
    return key;
  }
}
