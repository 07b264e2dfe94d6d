package org.periodicbackups.core.dump;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Feeds the dump reader near-valid dumps built from the fuzzer's choices: a header whose fields may
 * be missing, duplicated, of the wrong type, huge or out of range; sections in any order, missing
 * or repeated; entries with wrong, extra or missing fields, etags inside and outside the range,
 * unicode keys, nested bodies, attachment data whose base64 or size is wrong; then gzip or zstd,
 * possibly cut short or followed by garbage. Most inputs get past the compression and the JSON
 * syntax, so the fuzzer spends its time on the reader's own checks.
 */
class DumpReaderStructureFuzzTest {

  private static final String[] TYPES = {"Full", "Incremental", "full", "", "Differential"};
  private static final String[] SECTIONS = {
    DumpJson.DOCS, DumpJson.ATTACHMENTS, DumpJson.DOCS_DELETIONS, DumpJson.ATTACHMENTS_DELETIONS
  };

  @FuzzTest(maxDuration = "30s")
  void readerAcceptsOrRefusesNamingTheFile(FuzzedDataProvider data) {
    boolean zstd = data.consumeBoolean();
    byte[] json = dumpJson(data, zstd ? "zstd" : "gzip").getBytes(StandardCharsets.UTF_8);
    byte[] file = zstd ? DumpReaderContract.zstd(json) : DumpReaderContract.gzip(json);
    switch (data.consumeInt(0, 5)) {
      case 0 -> file = Arrays.copyOf(file, data.consumeInt(0, file.length));
      case 1 -> {
        byte[] tail = data.consumeBytes(16);
        byte[] longer = Arrays.copyOf(file, file.length + tail.length);
        System.arraycopy(tail, 0, longer, file.length, tail.length);
        file = longer;
      }
      case 2 -> {
        if (file.length > 0) {
          file[data.consumeInt(0, file.length - 1)] ^= (byte) data.consumeInt(1, 255);
        }
      }
      default -> {}
    }
    DumpReaderContract.check(file);
  }

  private static String dumpJson(FuzzedDataProvider data, String codec) {
    long from = etag(data, 0);
    long to = etag(data, from + 8);
    StringBuilder json = new StringBuilder("{\"Backup\":");
    header(json, data, codec, from, to);
    List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
    switch (data.consumeInt(0, 7)) {
      case 0 -> order.remove(data.consumeInt(0, 3));
      case 1 -> order.add(data.consumeInt(0, order.size()), data.consumeInt(0, 3));
      case 2 -> order.set(data.consumeInt(0, 3), data.consumeInt(0, 3));
      default -> {}
    }
    for (int section : order) {
      json.append(",\"").append(SECTIONS[section]).append("\":");
      if (data.consumeInt(0, 15) == 0) {
        json.append(anyValue(data, 2));
        continue;
      }
      json.append('[');
      int entries = data.consumeInt(0, 4);
      for (int i = 0; i < entries; i++) {
        json.append(i == 0 ? "" : ",");
        entry(json, data, section, from, to);
      }
      json.append(']');
    }
    if (data.consumeInt(0, 15) == 0) {
      json.append(",\"").append(data.consumeString(12)).append("\":[]");
    }
    json.append('}');
    if (data.consumeInt(0, 15) == 0) {
      json.append(data.consumeString(8));
    }
    return json.toString();
  }

  private static void header(
      StringBuilder json, FuzzedDataProvider data, String codec, long from, long to) {
    List<String> fields = new ArrayList<>();
    fields.add(
        field(
            "FormatVersion",
            data.consumeInt(0, 7) == 0
                ? anyValue(data, 1)
                : Integer.toString(data.consumeInt(0, 3) == 0 ? data.consumeInt() : 1)));
    fields.add(field("Database", text(data, "shop")));
    fields.add(field("Type", text(data, TYPES[data.consumeInt(0, TYPES.length - 1)])));
    fields.add(field("CreatedAt", text(data, "2026-11-28T14:43:00.123Z")));
    fields.add(field("FromEtag", number(data, from)));
    fields.add(field("ToEtag", number(data, to)));
    fields.add(field("Codec", text(data, data.consumeInt(0, 7) == 0 ? "lz4" : codec)));
    if (data.consumeBoolean()) {
      fields.add(
          field(
              "Previous",
              text(data, "shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz")));
      fields.add(field("PreviousSha256", text(data, "ab".repeat(32))));
    }
    reshape(fields, data);
    json.append('{').append(String.join(",", fields)).append('}');
  }

  private static void entry(
      StringBuilder json, FuzzedDataProvider data, int section, long from, long to) {
    List<String> fields = new ArrayList<>();
    fields.add(field("Key", text(data, key(data))));
    fields.add(field("Etag", number(data, data.consumeLong(from, Math.max(from, to + 1)))));
    if (section <= 1) {
      fields.add(field("Metadata", objectOrNot(data)));
    }
    if (section == 0) {
      fields.add(field("Body", objectOrNot(data)));
    } else if (section == 1) {
      byte[] content = data.consumeBytes(data.consumeInt(0, 64));
      fields.add(field("Size", number(data, content.length)));
      String base64 = Base64.getEncoder().encodeToString(content);
      if (data.consumeInt(0, 7) == 0 && !base64.isEmpty()) {
        int at = data.consumeInt(0, base64.length() - 1);
        base64 =
            base64.substring(0, at) + data.consumeCharNoSurrogates() + base64.substring(at + 1);
      }
      fields.add(field("Data", data.consumeInt(0, 15) == 0 ? anyValue(data, 1) : quote(base64)));
    }
    reshape(fields, data);
    json.append('{').append(String.join(",", fields)).append('}');
  }

  /** Sometimes drops, duplicates, swaps or adds a field. */
  private static void reshape(List<String> fields, FuzzedDataProvider data) {
    switch (data.consumeInt(0, 9)) {
      case 0 -> fields.remove(data.consumeInt(0, fields.size() - 1));
      case 1 -> fields.add(fields.get(data.consumeInt(0, fields.size() - 1)));
      case 2 -> {
        int a = data.consumeInt(0, fields.size() - 1);
        int b = data.consumeInt(0, fields.size() - 1);
        String swap = fields.get(a);
        fields.set(a, fields.get(b));
        fields.set(b, swap);
      }
      case 3 -> fields.add(field(data.consumeString(10), anyValue(data, 1)));
      default -> {}
    }
  }

  private static String key(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 7)) {
      case 0 -> "";
      case 1 -> "users/" + "é😀\u0000".repeat(data.consumeInt(0, 400));
      case 2 -> "../../etc/passwd";
      default -> "users/" + data.consumeString(20);
    };
  }

  private static long etag(FuzzedDataProvider data, long min) {
    return data.consumeInt(0, 15) == 0 ? data.consumeLong() : min + data.consumeInt(0, 20);
  }

  /** Usually {@code value} as a JSON number, sometimes a huge, fractional or other value. */
  private static String number(FuzzedDataProvider data, long value) {
    return switch (data.consumeInt(0, 11)) {
      case 0 -> "9".repeat(data.consumeInt(19, 400));
      case 1 -> value + ".5";
      case 2 -> "-" + value;
      case 3 -> value + "e" + data.consumeInt(-400, 400);
      case 4 -> quote(Long.toString(value));
      case 5 -> anyValue(data, 1);
      default -> Long.toString(value);
    };
  }

  /** Usually {@code value} as a JSON string, sometimes another value or other text. */
  private static String text(FuzzedDataProvider data, String value) {
    return switch (data.consumeInt(0, 11)) {
      case 0 -> anyValue(data, 1);
      case 1 -> quote(data.consumeString(30));
      default -> quote(value);
    };
  }

  private static String objectOrNot(FuzzedDataProvider data) {
    return data.consumeInt(0, 9) == 0 ? anyValue(data, 2) : object(data, data.consumeInt(0, 3));
  }

  private static String object(FuzzedDataProvider data, int depth) {
    StringBuilder json = new StringBuilder("{");
    int fields = data.consumeInt(0, 3);
    for (int i = 0; i < fields; i++) {
      json.append(i == 0 ? "" : ",")
          .append(quote(data.consumeString(8)))
          .append(':')
          .append(anyValue(data, depth));
    }
    return json.append('}').toString();
  }

  private static String anyValue(FuzzedDataProvider data, int depth) {
    int choice = data.consumeInt(0, depth > 0 ? 9 : 6);
    return switch (choice) {
      case 0 -> "null";
      case 1 -> Boolean.toString(data.consumeBoolean());
      case 2 -> Long.toString(data.consumeLong());
      case 3 -> Double.toString(data.consumeDouble());
      case 4 -> quote(data.consumeString(40));
      case 5 -> "[".repeat(data.consumeInt(1, 1200)) + "]".repeat(data.consumeInt(0, 1200));
      case 6 -> "\"\\u" + Integer.toHexString(data.consumeInt(0xd800, 0xdfff)) + "\"";
      case 7 -> "[" + anyValue(data, depth - 1) + "," + anyValue(data, depth - 1) + "]";
      default -> object(data, depth - 1);
    };
  }

  private static String field(String name, String value) {
    return quote(name) + ":" + value;
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
