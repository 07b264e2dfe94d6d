/**
 * What a database implements to be backed up ({@link org.periodicbackups.api.source.ChangeSource})
 * and restored into ({@link org.periodicbackups.api.source.RestoreTarget}). The embedded SQLite
 * store implements both; another database can too.
 */
package org.periodicbackups.api.source;
