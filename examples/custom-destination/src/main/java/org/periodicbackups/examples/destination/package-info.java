/**
 * An example third-party destination, {@code example-folder}, built as its own jar: drop it into
 * the {@code pbk} plugins folder, or put it on an application's class path.
 */
package org.periodicbackups.examples.destination;
