package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.SystemDocuments;

/** Rules for document and attachment keys. */
final class Keys {
  /** Longest key accepted, in UTF-16 chars. */
  static final int MAX_LENGTH = Document.MAX_KEY_LENGTH;

  /**
   * SQL condition on a {@code key} column: not a system document key. substr, not LIKE: LIKE would
   * treat '_' and '%' in keys as wildcards and ignore case. Built once, so every statement using it
   * keeps one text (and one cached plan).
   */
  static final String NOT_SYSTEM =
      "substr(key, 1, "
          + SystemDocuments.PREFIX.length()
          + ") <> "
          + sqlText(SystemDocuments.PREFIX);

  /**
   * SQL condition on a {@code key} column: a system document key, written as a range so that the
   * key's index answers it without a scan (with BINARY collation, the keys from {@code 'Raven/'} up
   * to but excluding {@code 'Raven0'} are exactly those starting with {@code Raven/}).
   */
  static final String SYSTEM =
      "key >= "
          + sqlText(SystemDocuments.PREFIX)
          + " AND key < "
          + sqlText(successor(SystemDocuments.PREFIX));

  private Keys() {}

  /** {@code text} with its last char replaced by the next one. */
  private static String successor(String text) {
    int last = text.length() - 1;
    return text.substring(0, last) + (char) (text.charAt(last) + 1);
  }

  /** {@code text} as an SQL string literal. */
  static String sqlText(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** Returns {@code key} if it is non-empty and at most {@link #MAX_LENGTH} chars long. */
  static String requireValid(String key, String what) {
    requireNonNull(key, what + " key is null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException(what + " key must not be empty");
    }
    if (key.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " key '"
              + key.substring(0, 40)
              + "…' is "
              + key.length()
              + " chars long; the limit is "
              + MAX_LENGTH);
    }
    return key;
  }

  /** Returns {@code key} if it is a valid key starting with {@code Raven/}. */
  static String requireSystem(String key) {
    requireValid(key, "system document");
    if (!SystemDocuments.isSystemKey(key)) {
      throw new IllegalArgumentException(
          "system document key '" + key + "' must start with '" + SystemDocuments.PREFIX + "'");
    }
    return key;
  }
}
