package org.periodicbackups.core.guice;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.inject.Qualifier;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Qualifies the {@link java.time.Clock} the engine uses for file names and status times. Qualified
 * so that an application's own {@code Clock} binding does not collide with it. Set it with {@link
 * PeriodicBackupModule#clock}; defaults to the UTC system clock.
 */
@Qualifier
@Retention(RUNTIME)
@Target({FIELD, PARAMETER, METHOD})
public @interface BackupClock {}
