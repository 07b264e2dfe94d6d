package org.periodicbackups.api.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The last failed backup run, as kept in the status document.
 *
 * @param at when the run failed
 * @param message what went wrong, naming the file or destination; never a secret
 */
public record BackupError(@JsonProperty("At") Instant at, @JsonProperty("Message") String message) {
  public BackupError {
    requireNonNull(at, "at is null");
    requireNonNull(message, "message is null");
  }
}
