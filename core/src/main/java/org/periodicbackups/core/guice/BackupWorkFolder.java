package org.periodicbackups.core.guice;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.inject.Qualifier;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Qualifies the {@link java.nio.file.Path} of the folder where the engine writes dump files before
 * uploading them. Set it with {@link PeriodicBackupModule#workFolder}; defaults to the system
 * temporary folder.
 */
@Qualifier
@Retention(RUNTIME)
@Target({FIELD, PARAMETER, METHOD})
public @interface BackupWorkFolder {}
