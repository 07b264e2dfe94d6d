/**
 * Restore ("smuggler in … --incremental"): plan a chain from the files any {@link
 * org.periodicbackups.api.destination.BackupDestination} lists, verify every file and the links
 * between them before anything is written, then apply the chain to a {@link
 * org.periodicbackups.api.source.RestoreTarget} in batches. The entry point is {@link
 * org.periodicbackups.core.restore.ChainRestorer}.
 */
package org.periodicbackups.core.restore;
