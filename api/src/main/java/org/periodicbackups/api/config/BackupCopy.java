package org.periodicbackups.api.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One place a backup file was stored.
 *
 * @param destination the provider name, such as {@code filesystem} or {@code s3}
 * @param locator where it is there: a path, an S3 key, a Glacier archive id
 */
public record BackupCopy(
    @JsonProperty("Destination") String destination, @JsonProperty("Locator") String locator) {
  public BackupCopy {
    requireNonNull(destination, "destination is null");
    requireNonNull(locator, "locator is null");
  }
}
