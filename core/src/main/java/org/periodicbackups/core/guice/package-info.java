/**
 * Guice wiring: {@link org.periodicbackups.core.guice.PeriodicBackupModule} binds the registry,
 * resolver and engine; destination modules contribute providers to {@link
 * org.periodicbackups.core.guice.PeriodicBackupModule#destinations}, or {@link
 * org.periodicbackups.core.guice.ServiceLoaderDestinationsModule} contributes whatever {@code
 * ServiceLoader} finds.
 *
 * <p>Guice is an optional dependency of {@code pbk-core}: an application using this package adds
 * {@code com.google.inject:guice} itself. The scheduler binding will be added with the scheduler.
 */
package org.periodicbackups.core.guice;
