package org.periodicbackups.destination.glacier;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.periodicbackups.api.destination.UploadMetadata;

/**
 * The archive description written with every upload, so that a vault inventory alone can rebuild
 * the catalogue of file names after a disaster. Glacier allows at most 1,024 printable ASCII
 * characters; the format is {@code pbk1;name=<name>;db=<database>;type=<Full|Incremental>;
 * from=<etag>;to=<etag>;sha256=<hex>}, with the name and database percent-encoded (UTF-8) except
 * for letters, digits, {@code -._~/}.
 */
final class ArchiveDescription {
  /** The marker of descriptions written by this destination (format version 1). */
  static final String MARKER = "pbk1";

  /** Glacier's limit on description length. */
  static final int MAX_LENGTH = 1024;

  private ArchiveDescription() {}

  /**
   * The description of {@code name} with {@code metadata} (null: the name alone); metadata is left
   * out when it would not fit. Returns null when even the name alone does not fit.
   */
  static String of(String name, UploadMetadata metadata) {
    String nameOnly = MARKER + ";name=" + encode(name);
    if (nameOnly.length() > MAX_LENGTH) {
      return null;
    }
    if (metadata == null) {
      return nameOnly;
    }
    String full =
        nameOnly
            + ";db="
            + encode(metadata.database())
            + ";type="
            + metadata.type().displayName()
            + ";from="
            + metadata.fromEtag()
            + ";to="
            + metadata.toEtag()
            + ";sha256="
            + encode(metadata.sha256());
    return full.length() <= MAX_LENGTH ? full : nameOnly;
  }

  /** The fields of a description written by {@link #of}; empty for any other description. */
  static Map<String, String> parse(String description) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (description == null || !description.startsWith(MARKER + ";")) {
      return fields;
    }
    for (String field : description.substring(MARKER.length() + 1).split(";")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        String value = decode(field.substring(eq + 1));
        if (value == null) {
          return new LinkedHashMap<>(); // damaged: better unknown than a wrong name
        }
        fields.put(field.substring(0, eq), value);
      }
    }
    return fields;
  }

  /** The file name a description carries, or null when it is not one of ours. */
  static String nameOf(String description) {
    return parse(description).get("name");
  }

  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Decodes {@link #encode}d text; null when it is malformed. */
  static String decode(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length()) {
          return null;
        }
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x20 || c > 0x7e) {
        return null;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
