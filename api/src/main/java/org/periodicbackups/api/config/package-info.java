/**
 * The setup document ({@code Raven/Backup/Periodic/Setup}) and the status document ({@code
 * Raven/Backup/Periodic/Status}), with the field names of the original RavenDB bundle.
 */
package org.periodicbackups.api.config;
