/**
 * The built-in {@code filesystem} destination: backup files kept in a local folder ({@code
 * LocalFolderName}), written atomically and durably.
 */
package org.periodicbackups.destination.filesystem;
