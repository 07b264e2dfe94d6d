/**
 * The embedded document database: a data folder of databases, each one SQLite file in WAL mode
 * holding documents, attachments (in chunks), tombstones, one etag sequence and settings. It is the
 * default {@link org.periodicbackups.api.source.ChangeSource} and {@link
 * org.periodicbackups.api.source.RestoreTarget}.
 */
package org.periodicbackups.store.sqlite;
