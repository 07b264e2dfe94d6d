package org.periodicbackups.core.dump;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;
import org.periodicbackups.api.InvalidBackupException;

/**
 * What the readers of the parts of a dump file (the header, the sections) share: the parser
 * positioned in the file's JSON, typed values that are checked as they are taken, and problems that
 * name the file and the position. A base class rather than a helper object, so that the per-entry
 * calls of the section reader stay calls on itself.
 */
abstract sealed class DumpPartReader permits DumpHeaderReader, DumpSectionReader {
  final JsonParser json;
  final String fileName;

  DumpPartReader(JsonParser json, String fileName) {
    this.json = json;
    this.fileName = fileName;
  }

  final String text(JsonToken value, String what) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      throw problem(what + " is not a string " + at(json.currentLocation()));
    }
    return json.getText();
  }

  final String nullableText(JsonToken value, String what) throws IOException {
    return value == JsonToken.VALUE_NULL ? null : text(value, what);
  }

  final long longValue(JsonToken value, String what) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw problem(what + " is not an integer " + at(json.currentLocation()));
    }
    return json.getLongValue();
  }

  final void expect(JsonToken token, String what) throws IOException {
    if (json.nextToken() != token) {
      throw problem(
          what
              + " is not a JSON "
              + (token == JsonToken.START_ARRAY ? "array" : "object")
              + " "
              + at(json.currentLocation()));
    }
  }

  final InvalidBackupException problem(String problem) {
    return new InvalidBackupException(fileName, problem);
  }

  static void addIfNull(List<String> missing, String name, Object value) {
    if (value == null) {
      missing.add(name);
    }
  }

  static String abbreviate(String key) {
    return key.length() <= 60 ? key : key.substring(0, 60) + "…";
  }

  /** Where a problem is, for messages; empty if the parser does not know. */
  static String at(JsonLocation location) {
    return location == null
        ? ""
        : "(line "
            + location.getLineNr()
            + ", column "
            + location.getColumnNr()
            + " of the decompressed JSON)";
  }
}
