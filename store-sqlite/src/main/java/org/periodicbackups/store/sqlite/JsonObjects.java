package org.periodicbackups.store.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.periodicbackups.api.model.Document;

/**
 * Checks that text is exactly one JSON object. Uses Jackson's streaming parser, so nothing is built
 * in memory: stored text is kept as it is and exports embed it without reparsing.
 */
final class JsonObjects {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonObjects() {}

  /**
   * Returns {@code json} if it is one JSON object.
   *
   * @param what what the text is, for the message, e.g. "metadata of document 'users/1'"
   * @throws IllegalArgumentException naming {@code what} and the problem
   */
  static String requireObject(String json, String what) {
    if (json == null) {
      throw new IllegalArgumentException(what + " is null; expected a JSON object");
    }
    if (json.length() > Document.MAX_JSON_LENGTH) {
      // A backup could not restore it: the dump reader refuses longer text.
      throw new IllegalArgumentException(
          what
              + " is "
              + json.length()
              + " chars long; the limit"
              + " is "
              + Document.MAX_JSON_LENGTH);
    }
    try (JsonParser parser = FACTORY.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(
            what
                + " must be a JSON object but starts with "
                + (first == null
                    ? "nothing"
                    : first.asString() == null ? first : first.asString()));
      }
      // Reading every token (not skipChildren) checks the whole structure.
      int depth = 1;
      while (depth > 0) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          throw new IllegalArgumentException(what + " is not valid JSON: the object is not closed");
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
      }
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException(what + " has content after the JSON object");
      }
      return json;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          what
              + " is not valid JSON: "
              + e.getOriginalMessage()
              + " at "
              + e.getLocation().offsetDescription(),
          e);
    } catch (IOException e) {
      // Parsing a String does no I/O; anything here is a parse problem too.
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
