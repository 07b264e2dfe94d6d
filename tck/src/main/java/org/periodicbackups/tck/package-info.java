/**
 * The compatibility kit: extend {@link org.periodicbackups.tck.DestinationCompatibilityKit} in a
 * test to check a {@link org.periodicbackups.api.destination.BackupDestination} against the
 * numbered rules of {@code tck/README.md}.
 */
package org.periodicbackups.tck;
