package org.periodicbackups.api.source;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A group of writes applied to a {@link RestoreTarget} atomically: all of them on {@link
 * #commit()}, none of them if the batch is closed without a commit.
 *
 * <p>The target assigns its own etags. A put replaces any existing item with the same key; a delete
 * of a missing key does nothing, so applying the same backup twice gives the same result.
 */
public interface RestoreBatch extends AutoCloseable {

  /** Puts a document; both JSON strings are objects. */
  void putDocument(String key, String metadataJson, String bodyJson) throws IOException;

  /**
   * Starts an attachment put. The caller writes the content to the returned stream and closes it
   * before the next call on this batch; memory use must not grow with the content's size.
   */
  OutputStream putAttachment(String key, String metadataJson) throws IOException;

  /** Deletes a document if it exists. */
  void deleteDocument(String key) throws IOException;

  /** Deletes an attachment if it exists. */
  void deleteAttachment(String key) throws IOException;

  /** Makes every write of this batch visible at once. */
  void commit() throws IOException;

  /** Ends the batch; discards its writes unless {@link #commit()} was called. */
  @Override
  void close() throws IOException;
}
