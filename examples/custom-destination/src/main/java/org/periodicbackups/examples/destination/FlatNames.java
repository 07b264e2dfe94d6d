package org.periodicbackups.examples.destination;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Maps a stored name such as {@code shop/2026/000001.full.json.gz} to one file name in a flat
 * folder and back: letters, digits, {@code -}, {@code _} and {@code .} stay as they are, every
 * other UTF-8 byte (the {@code /} included) becomes {@code %XX}. A leading {@code .} is encoded
 * too, so a stored file never looks like a hidden temporary file.
 */
final class FlatNames {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private FlatNames() {}

  static String encode(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || (c == '.' && out.length() > 0);
      if (plain) {
        out.append(c);
      } else {
        out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }

  /** The stored name of a file name made by {@link #encode}; null for any other file. */
  static String decode(String fileName) {
    if (fileName.startsWith(".")) {
      return null; // temporary files and anything else hidden
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      if (c != '%') {
        bytes.write(c);
        continue;
      }
      if (i + 2 >= fileName.length()) {
        return null;
      }
      int high = Character.digit(fileName.charAt(i + 1), 16);
      int low = Character.digit(fileName.charAt(i + 2), 16);
      if (high < 0 || low < 0) {
        return null;
      }
      bytes.write(high << 4 | low);
      i += 2;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
