/**
 * The dump format, version 1: one gzip-compressed JSON object per backup file, written by {@link
 * org.periodicbackups.core.dump.DumpWriter} and read by {@link
 * org.periodicbackups.core.dump.DumpReader} with Jackson's streaming API, so that memory stays
 * constant whatever the file size; and the names of backup files, {@link
 * org.periodicbackups.core.dump.BackupFileName}.
 */
package org.periodicbackups.core.dump;
