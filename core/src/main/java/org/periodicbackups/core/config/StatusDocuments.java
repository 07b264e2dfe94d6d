package org.periodicbackups.core.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.ChangeSource;

/**
 * Reads and writes the status document {@code Raven/Backup/Periodic/Status}. It is written by the
 * engine, so the parser ignores unknown fields (a newer version may add some); a document that
 * cannot be read at all is reported as corrupt, naming the document key, the position and the
 * field.
 */
public final class StatusDocuments {
  /** The key of the status document. */
  public static final String KEY = "Raven/Backup/Periodic/Status";

  private StatusDocuments() {}

  /**
   * The status document of {@code source}, or {@link PeriodicBackupStatus#initial()} if it was
   * never backed up.
   *
   * @throws ConfigurationException if the document is not a readable status document
   */
  public static PeriodicBackupStatus read(ChangeSource source) throws IOException {
    return source
        .getSystemDocument(SystemDocuments.STATUS_KEY)
        .map(StatusDocuments::parse)
        .orElse(PeriodicBackupStatus.initial());
  }

  /**
   * Parses a status document.
   *
   * @throws ConfigurationException if it is not a readable status document
   */
  public static PeriodicBackupStatus parse(String json) {
    requireNonNull(json, "json is null");
    if (json.isBlank()) {
      throw new ConfigurationException("status document " + KEY + " is empty");
    }
    try {
      PeriodicBackupStatus status =
          Json.mapper()
              .readerFor(PeriodicBackupStatus.class)
              .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readValue(json);
      if (status == null) {
        throw new ConfigurationException("status document " + KEY + " is null, not an object");
      }
      return status;
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(
          "status document " + KEY + " is corrupt" + where(e) + ": " + e.getOriginalMessage());
    }
  }

  /** The status as a pretty-printed document. */
  public static String toJson(PeriodicBackupStatus status) {
    requireNonNull(status, "status is null");
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(status);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the status document", e);
    }
  }

  private static String where(JsonProcessingException e) {
    StringBuilder where = new StringBuilder();
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      where.append(" in field ");
      for (JsonMappingException.Reference step : mapping.getPath()) {
        if (step.getFieldName() != null) {
          where
              .append(where.charAt(where.length() - 1) == ' ' ? "" : ".")
              .append(step.getFieldName());
        } else if (step.getIndex() >= 0) {
          where.append('[').append(step.getIndex()).append(']');
        }
      }
    }
    JsonLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      where.append(" at line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
    }
    return where.toString();
  }
}
