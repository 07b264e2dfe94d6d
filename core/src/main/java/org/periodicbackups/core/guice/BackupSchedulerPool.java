package org.periodicbackups.core.guice;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.inject.Qualifier;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Qualifies the {@link java.util.concurrent.ScheduledExecutorService} on which the {@link
 * org.periodicbackups.core.scheduler.PeriodicBackupService} runs backups. Defaults to a pool of two
 * daemon threads, created when the service is first requested; override it with {@link
 * PeriodicBackupModule#schedulerPool}. The application shuts it down after the service.
 */
@Qualifier
@Retention(RUNTIME)
@Target({FIELD, PARAMETER, METHOD})
public @interface BackupSchedulerPool {}
