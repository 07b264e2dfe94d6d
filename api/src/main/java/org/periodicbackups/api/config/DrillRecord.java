package org.periodicbackups.api.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * The last restore drill of a database, as kept in the status document ({@code LastDrill}): the
 * latest chain restored from the database's destination into a scratch location and its content
 * compared with what the source held at the chain's cut.
 *
 * @param at when the drill started
 * @param result {@value #PROVED} (the restored database equals the source at the cut), {@value
 *     #NOT_PROVED} (it restored, but the files record no content to compare) or {@value #FAILED}
 * @param lastFile the last file the drill restored; null if it failed before choosing one
 * @param etag that file's cut; 0 if none
 * @param durationMillis how long the restore took, in milliseconds
 * @param bytes the bytes of backup files read
 * @param documentsPerSecond documents restored per second of the drill
 * @param error what went wrong, for {@value #FAILED}; never a secret
 */
@JsonPropertyOrder({
  "At",
  "Result",
  "LastFile",
  "Etag",
  "DurationMilliseconds",
  "Bytes",
  "DocumentsPerSecond",
  "Error"
})
public record DrillRecord(
    @JsonProperty("At") Instant at,
    @JsonProperty("Result") String result,
    @JsonProperty("LastFile") String lastFile,
    @JsonProperty("Etag") long etag,
    @JsonProperty("DurationMilliseconds") long durationMillis,
    @JsonProperty("Bytes") long bytes,
    @JsonProperty("DocumentsPerSecond") double documentsPerSecond,
    @JsonProperty("Error") String error) {

  /** The restored database equals the source at the chain's cut. */
  public static final String PROVED = "Proved";

  /** The chain restored, but its files record no content to compare. */
  public static final String NOT_PROVED = "NotProved";

  /** The drill failed; {@code Error} says why. */
  public static final String FAILED = "Failed";

  public DrillRecord {
    requireNonNull(at, "at is null");
    requireNonNull(result, "result is null");
    if (!result.equals(PROVED) && !result.equals(NOT_PROVED) && !result.equals(FAILED)) {
      throw new IllegalArgumentException(
          "Result '" + result + "' is not one of " + PROVED + ", " + NOT_PROVED + ", " + FAILED);
    }
    if (result.equals(FAILED) != (error != null)) {
      throw new IllegalArgumentException("a failed drill has an Error, and only a failed one");
    }
  }

  /** Whether the drill proved the chain restorable to the source's content. */
  @JsonIgnore
  public boolean proved() {
    return result.equals(PROVED);
  }
}
