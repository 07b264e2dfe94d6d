package org.periodicbackups.api.destination;

import java.util.Objects;

/**
 * Rules for the names of stored files, shared by every destination: relative, {@code /}-separated,
 * no empty, {@code .} or {@code ..} segment, no backslash, no control character. A name that passes
 * can never escape a destination's folder or prefix.
 */
public final class StoredNames {
  private StoredNames() {}

  /** Returns {@code name} if it is a safe relative name; throws naming the problem otherwise. */
  public static String requireSafe(String name) {
    Objects.requireNonNull(name, "name is null");
    String problem = problemWith(name);
    if (problem != null) {
      throw new IllegalArgumentException("unsafe file name '" + printable(name) + "': " + problem);
    }
    return name;
  }

  /** Whether {@code name} is a safe relative name. */
  public static boolean isSafe(String name) {
    return name != null && problemWith(name) == null;
  }

  private static String problemWith(String name) {
    if (name.isEmpty()) {
      return "it is empty";
    }
    if (name.startsWith("/")) {
      return "it is absolute";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        return "it contains a backslash";
      }
      if (Character.isISOControl(c)) {
        return "it contains a control character";
      }
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return "it has an empty, '.' or '..' segment";
      }
      if (segment.length() > 255) {
        return "a segment is longer than 255 characters";
      }
    }
    if (name.contains(":")) {
      return "it contains ':'";
    }
    return null;
  }

  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints()
        .forEach(
            cp ->
                out.append(
                    Character.isISOControl(cp)
                        ? String.format("\\u%04x", cp)
                        : new String(Character.toChars(cp))));
    return out.toString();
  }
}
