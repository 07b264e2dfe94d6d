/**
 * The public model and service-provider interfaces of Periodic Backups.
 *
 * <ul>
 *   <li>{@link org.periodicbackups.api.model}: documents, attachments, tombstones and etags;
 *   <li>{@link org.periodicbackups.api.source}: what a database implements to be backed up ({@code
 *       ChangeSource}) and restored into ({@code RestoreTarget});
 *   <li>{@link org.periodicbackups.api.destination}: what a storage destination implements ({@code
 *       DestinationProvider}, {@code BackupDestination});
 *   <li>{@link org.periodicbackups.api.config}: the setup and status documents.
 * </ul>
 *
 * This module depends on nothing but the JDK and Jackson's annotations.
 */
package org.periodicbackups.api;
