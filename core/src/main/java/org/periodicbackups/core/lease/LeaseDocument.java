package org.periodicbackups.core.lease;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.core.config.Json;

/**
 * The lease object {@code <database>/pbk-lease.json} at a destination with conditional writes: who
 * may write the database's chains there, until when, and the fencing token of that grant
 * (docs/DESIGN.md, "One writer per chain").
 *
 * @param database {@code Database}: the database the lease is for
 * @param token {@code Token}: the fencing token, one more than the previous holder's; it stays the
 *     same while one holder renews
 * @param host {@code Host}: the holder's host name
 * @param process {@code Process}: the holder's process id
 * @param writer {@code Writer}: the holder's identity: host and database location, so that another
 *     process of the same database on the same host counts as the same writer
 * @param since {@code Since}: when the holder took the lease
 * @param renewedAt {@code RenewedAt}: when it last renewed it
 * @param expiresAt {@code ExpiresAt}: when it expires unless renewed, by the holder's clock
 * @param released {@code Released}: true once the holder gave it up; anyone may take it then
 */
@JsonPropertyOrder({
  "Database",
  "Token",
  "Host",
  "Process",
  "Writer",
  "Since",
  "RenewedAt",
  "ExpiresAt",
  "Released"
})
public record LeaseDocument(
    @JsonProperty("Database") String database,
    @JsonProperty("Token") long token,
    @JsonProperty("Host") String host,
    @JsonProperty("Process") long process,
    @JsonProperty("Writer") String writer,
    @JsonProperty("Since") Instant since,
    @JsonProperty("RenewedAt") Instant renewedAt,
    @JsonProperty("ExpiresAt") Instant expiresAt,
    @JsonProperty("Released") boolean released) {

  /** The lease object's name inside a database's folder. */
  public static final String FILE_NAME = "pbk-lease.json";

  /** Checks the fields. */
  public LeaseDocument {
    requireNonNull(database, "database is null");
    if (token < 1) {
      throw new IllegalArgumentException("Token must be at least 1 but was " + token);
    }
    requireNonNull(host, "host is null");
    requireNonNull(writer, "writer is null");
    requireNonNull(since, "since is null");
    requireNonNull(renewedAt, "renewedAt is null");
    requireNonNull(expiresAt, "expiresAt is null");
  }

  /** The name of {@code database}'s lease object. */
  public static String objectName(String database) {
    return database + "/" + FILE_NAME;
  }

  /** Whether {@code storedName} names a lease object (in a database's folder or at the top). */
  public static boolean isLeaseName(String storedName) {
    return storedName.equals(FILE_NAME) || storedName.endsWith("/" + FILE_NAME);
  }

  /** Whether the lease keeps others out at {@code now}: not released and not expired. */
  public boolean heldAt(Instant now) {
    return !released && expiresAt.isAfter(now);
  }

  /** The holder, for messages: {@code node-a (process 1234)}. */
  public String holder() {
    return host + " (process " + process + ")";
  }

  /** This lease renewed at {@code now} for {@code duration}. */
  LeaseDocument renewed(Instant now, Duration duration) {
    return new LeaseDocument(
        database, token, host, process, writer, since, now, now.plus(duration), false);
  }

  /** This lease given up at {@code now}. */
  LeaseDocument releasedAt(Instant now) {
    return new LeaseDocument(database, token, host, process, writer, since, now, now, true);
  }

  /** The object's bytes: UTF-8 JSON. */
  byte[] toBytes() {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a lease document could not be written as JSON", e);
    }
  }

  /**
   * Parses a lease object read from {@code where}.
   *
   * @throws DestinationException naming the object if it is not a lease document
   */
  static LeaseDocument parse(byte[] bytes, String where) throws IOException {
    try {
      LeaseDocument document = Json.mapper().readValue(bytes, LeaseDocument.class);
      if (document == null) {
        throw new DestinationException(where + " is empty; it should be a lease document");
      }
      return document;
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new DestinationException(
          where
              + " is not a lease document ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); remove it only if no writer is running, and the next run takes a new lease");
    }
  }
}
