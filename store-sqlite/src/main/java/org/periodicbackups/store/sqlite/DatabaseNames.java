package org.periodicbackups.store.sqlite;

import java.util.regex.Pattern;

/** The rule for database names, which are also file names. */
final class DatabaseNames {
  /** The rule, as written in error messages. */
  static final String RULE = "[A-Za-z0-9][A-Za-z0-9_.-]{0,99}";

  private static final Pattern PATTERN = Pattern.compile(RULE);

  private DatabaseNames() {}

  static boolean isValid(String name) {
    return name != null && PATTERN.matcher(name).matches();
  }

  /** Returns {@code name} if it follows {@link #RULE}. */
  static String requireValid(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "invalid database name '"
              + name
              + "': it must match "
              + RULE
              + " (a letter or digit, then up to 99 letters, digits, '_', '.' or '-')");
    }
    return name;
  }
}
