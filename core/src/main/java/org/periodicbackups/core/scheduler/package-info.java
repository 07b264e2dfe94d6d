/**
 * Periodic backups: when each database is backed up.
 *
 * <p>{@link org.periodicbackups.core.scheduler.BundleActivation} decides whether a database has the
 * Periodic Backups bundle ({@code Raven/ActiveBundles}); {@link
 * org.periodicbackups.core.scheduler.BackupSchedule} computes when the next run is due from the
 * setup and status documents; {@link org.periodicbackups.core.scheduler.PeriodicBackupScheduler}
 * runs one database's backups on a shared {@link java.util.concurrent.ScheduledExecutorService};
 * {@link org.periodicbackups.core.scheduler.PeriodicBackupService} holds the schedulers of many
 * databases and stops them together.
 */
package org.periodicbackups.core.scheduler;
