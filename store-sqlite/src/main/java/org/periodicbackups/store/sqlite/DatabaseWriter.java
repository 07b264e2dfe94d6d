package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.io.InputStream;

/**
 * The writes available inside one transaction (see {@link SqliteDatabase#write(WriteBatch)}). Every
 * put and every delete of an existing item takes the next etag of the database's single sequence.
 * Used by one thread; not valid after the batch ends.
 */
public interface DatabaseWriter {

  /**
   * Puts a document, replacing any with the same key and removing its tombstone.
   *
   * @return the etag of this write
   * @throws IllegalArgumentException if the key is invalid or either JSON text is not an object
   */
  long putDocument(String key, String metadataJson, String bodyJson) throws IOException;

  /**
   * Deletes a document; when it existed, records a tombstone with a new etag.
   *
   * @return whether the document existed
   */
  boolean deleteDocument(String key) throws IOException;

  /**
   * Puts an attachment, reading {@code content} to its end in chunks (memory does not grow with its
   * size); replaces any attachment with the same key and removes its tombstone. The stream is not
   * closed.
   *
   * @return the etag of this write
   */
  long putAttachment(String key, String metadataJson, InputStream content) throws IOException;

  /**
   * Deletes an attachment and its content; when it existed, records a tombstone with a new etag.
   *
   * @return whether the attachment existed
   */
  boolean deleteAttachment(String key) throws IOException;
}
