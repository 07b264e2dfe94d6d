/**
 * Which destinations receive the backup files: the {@link
 * org.periodicbackups.core.destination.DestinationRegistry} of available providers (ServiceLoader,
 * plugins folder, or Guice) and the {@link
 * org.periodicbackups.core.destination.DestinationResolver} that applies the precedence rule to a
 * setup document.
 */
package org.periodicbackups.core.destination;
