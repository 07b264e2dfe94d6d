package org.periodicbackups.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.BackupCopy;
import org.periodicbackups.api.config.BackupError;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.BackupType;

class StatusDocumentsTest {
  private static final Instant STARTED = Instant.parse("2026-01-31T02:00:00.123456789Z");

  private static BackupRecord record(String file, BackupType type, long from, long to) {
    return new BackupRecord(
        file,
        type,
        List.of(
            new BackupCopy("filesystem", "/var/backups/" + file),
            new BackupCopy("glacier", "archive-id-" + to)),
        1234,
        "ab".repeat(32),
        from,
        to,
        STARTED.plusSeconds(to),
        42,
        3,
        1,
        2,
        to == 0 ? null : 7L);
  }

  @Test
  void initialStatusRoundTrips() {
    assertThat(StatusDocuments.parse(StatusDocuments.toJson(PeriodicBackupStatus.initial())))
        .isEqualTo(PeriodicBackupStatus.initial());
  }

  @Test
  void fullStatusRoundTripsExactly() {
    PeriodicBackupStatus status =
        PeriodicBackupStatus.initial()
            .withSuccess(record("shop/1/0001.full.json.gz", BackupType.FULL, 0, 10))
            .withSuccess(record("shop/1/0002.incremental.json.gz", BackupType.INCREMENTAL, 10, 25))
            .withError(new BackupError(STARTED.plusSeconds(99), "s3 bucket b: access denied"));

    String json = StatusDocuments.toJson(status);

    assertThat(json)
        .contains(
            "\"LastBackup\" : \"2026-01-31T02:00:25.123456789Z\"",
            "\"Type\" : \"Full\"",
            "\"Type\" : \"Incremental\"",
            "\"LastDocsEtag\" : 25",
            "\"Locator\" : \"archive-id-25\"");
    assertThat(StatusDocuments.parse(json)).isEqualTo(status);
  }

  @Test
  void ignoresUnknownFieldsAndDefaultsMissingOnes() {
    PeriodicBackupStatus status =
        StatusDocuments.parse("{\"LastDocsEtag\": 7, \"FromTheFuture\": {\"x\": 1}}");

    assertThat(status.lastDocsEtag()).isEqualTo(7);
    assertThat(status.lastAttachmentsEtag()).isZero();
    assertThat(status.history()).isEmpty();
  }

  @Test
  void corruptStatusNamesTheDocumentAndField() {
    assertThatThrownBy(() -> StatusDocuments.parse("{\"LastDocsEtag\": "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("status document Raven/Backup/Periodic/Status is corrupt");
    assertThatThrownBy(() -> StatusDocuments.parse("{\"LastBackup\": \"yesterday\"}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Raven/Backup/Periodic/Status")
        .hasMessageContaining("LastBackup");
    assertThatThrownBy(
            () ->
                StatusDocuments.parse(
                    "{\"History\": [{\"FileName\": \"f\", \"Type\": \"Weekly\"}]}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("History[0].Type");
    assertThatThrownBy(() -> StatusDocuments.parse("{\"LastDocsEtag\": -1}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LastDocsEtag must be >= 0 but was -1");
    assertThatThrownBy(() -> StatusDocuments.parse(" "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Raven/Backup/Periodic/Status is empty");
  }
}
