/**
 * The destination SPI: a {@link org.periodicbackups.api.destination.DestinationProvider}, found
 * with {@link java.util.ServiceLoader}, creates a {@link
 * org.periodicbackups.api.destination.BackupDestination} for a setup document.
 */
package org.periodicbackups.api.destination;
