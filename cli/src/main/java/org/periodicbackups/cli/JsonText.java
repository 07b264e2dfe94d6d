package org.periodicbackups.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.periodicbackups.core.config.Json;

/** Small JSON helpers for printing. */
final class JsonText {
  private JsonText() {}

  /** {@code value} as a JSON string literal. */
  static String quote(String value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string always serialises", e);
    }
  }
}
