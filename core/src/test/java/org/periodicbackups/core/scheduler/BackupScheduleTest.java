package org.periodicbackups.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupStatus;

class BackupScheduleTest {
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  static final long HOUR = Duration.ofHours(1).toMillis();
  static final long DAY = Duration.ofDays(1).toMillis();

  private static PeriodicBackupSetup every(Long interval, Long fullInterval) {
    return PeriodicBackupSetup.builder()
        .localFolderName("b")
        .intervalMilliseconds(interval)
        .fullBackupIntervalMilliseconds(fullInterval)
        .build();
  }

  private static PeriodicBackupStatus backedUp(Instant last, Instant lastFull) {
    return new PeriodicBackupStatus(last, lastFull, 10, 10, 10, 10, null, List.of(), null);
  }

  @Test
  void databaseNeverBackedUpIsDueNow() {
    assertThat(BackupSchedule.nextRun(every(HOUR, DAY), PeriodicBackupStatus.initial(), null, NOW))
        .contains(NOW);
  }

  @Test
  void backupTenMinutesAgoWithHourlyIntervalIsDueInFiftyMinutes() {
    Instant tenMinutesAgo = NOW.minus(Duration.ofMinutes(10));

    assertThat(
            BackupSchedule.nextRun(
                every(HOUR, null), backedUp(tenMinutesAgo, tenMinutesAgo), null, NOW))
        .contains(NOW.plus(Duration.ofMinutes(50)));
  }

  @Test
  void overdueBackupAfterARestartIsDueNow() {
    Instant threeHoursAgo = NOW.minus(Duration.ofHours(3));

    assertThat(
            BackupSchedule.nextRun(
                every(HOUR, DAY), backedUp(threeHoursAgo, threeHoursAgo), null, NOW))
        .contains(NOW);
  }

  @Test
  void fullBackupDueBeforeTheNextIncrementalSetsTheTime() {
    Instant tenMinutesAgo = NOW.minus(Duration.ofMinutes(10));
    Instant fullAlmostADayAgo = NOW.minus(Duration.ofDays(1)).plus(Duration.ofMinutes(20));

    assertThat(
            BackupSchedule.nextRun(
                every(HOUR, DAY), backedUp(tenMinutesAgo, fullAlmostADayAgo), null, NOW))
        .contains(NOW.plus(Duration.ofMinutes(20)));
  }

  @Test
  void fullIntervalAloneSchedulesFullBackups() {
    Instant fullAt = NOW.minus(Duration.ofHours(1));

    assertThat(BackupSchedule.nextRun(every(null, DAY), backedUp(fullAt, fullAt), null, NOW))
        .contains(fullAt.plus(Duration.ofDays(1)));
  }

  @Test
  void runThatLeftTheStatusAsItWasIsNotRepeatedBeforeTheInterval() {
    Instant threeHoursAgo = NOW.minus(Duration.ofHours(3));

    // The last run (nothing changed, or it failed) started a minute ago.
    assertThat(
            BackupSchedule.nextRun(
                every(HOUR, DAY),
                backedUp(threeHoursAgo, threeHoursAgo),
                NOW.minus(Duration.ofMinutes(1)),
                NOW))
        .contains(NOW.plus(Duration.ofMinutes(59)));
  }

  @Test
  void nothingIsScheduledWithoutSetupWhenDisabledOrWithoutIntervals() {
    PeriodicBackupStatus status = PeriodicBackupStatus.initial();
    PeriodicBackupSetup disabled = every(HOUR, null).toBuilder().disabled(true).build();

    assertThat(BackupSchedule.nextRun(null, status, null, NOW)).isEmpty();
    assertThat(BackupSchedule.nextRun(disabled, status, null, NOW)).isEmpty();
    assertThat(BackupSchedule.nextRun(every(null, null), status, null, NOW)).isEmpty();
  }
}
