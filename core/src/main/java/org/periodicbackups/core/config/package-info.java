/**
 * JSON of the setup document ({@code Raven/Backup/Periodic/Setup}) and the status document ({@code
 * Raven/Backup/Periodic/Status}): one shared Jackson configuration, a strict setup parser that
 * reports every problem at once, and a lenient status parser.
 */
package org.periodicbackups.core.config;
