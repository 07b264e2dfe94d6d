package org.periodicbackups.core.restore;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.api.source.RestoreBatch;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.core.dump.DumpVisitor;

/**
 * Applies the entries of one file to a target in batches, committing when a batch reaches the
 * operation or byte limit, and at the end of the file ({@link #commit()}). Closing without that
 * final commit rolls the open batch back.
 */
final class ApplyingVisitor implements DumpVisitor, AutoCloseable {
  private final RestoreTarget target;
  private final int maxOperations;
  private final long maxBytes;
  private RestoreBatch batch;
  private int operations;
  private long bytes;

  long documents;
  long attachments;
  long documentDeletions;
  long attachmentDeletions;
  long systemDocumentsSkipped;

  ApplyingVisitor(RestoreTarget target, int maxOperations, long maxBytes) {
    this.target = target;
    this.maxOperations = maxOperations;
    this.maxBytes = maxBytes;
  }

  @Override
  public void document(String key, long etag, String metadataJson, String bodyJson)
      throws IOException {
    if (SystemDocuments.isSystemKey(key)) {
      systemDocumentsSkipped++;
      return;
    }
    batch().putDocument(key, metadataJson, bodyJson);
    bytes += metadataJson.length() + bodyJson.length();
    documents++;
  }

  @Override
  public OutputStream attachment(String key, long etag, String metadataJson, long size)
      throws IOException {
    OutputStream content = batch().putAttachment(key, metadataJson);
    attachments++;
    return new FilterOutputStream(content) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        bytes += len;
      }
    };
  }

  @Override
  public void documentDeletion(String key, long etag) throws IOException {
    if (SystemDocuments.isSystemKey(key)) {
      systemDocumentsSkipped++;
      return;
    }
    batch().deleteDocument(key);
    documentDeletions++;
  }

  @Override
  public void attachmentDeletion(String key, long etag) throws IOException {
    batch().deleteAttachment(key);
    attachmentDeletions++;
  }

  /** The open batch, after committing the previous one if it is full. */
  private RestoreBatch batch() throws IOException {
    if (batch != null && (operations >= maxOperations || bytes >= maxBytes)) {
      commit();
    }
    if (batch == null) {
      batch = target.beginBatch();
    }
    operations++;
    return batch;
  }

  /** Commits and ends the open batch, if any. */
  void commit() throws IOException {
    if (batch != null) {
      RestoreBatch done = batch;
      batch = null;
      operations = 0;
      bytes = 0;
      try (done) {
        done.commit();
      }
    }
  }

  /** Ends the open batch without committing it: its writes are discarded. */
  @Override
  public void close() throws IOException {
    if (batch != null) {
      RestoreBatch abandoned = batch;
      batch = null;
      abandoned.close();
    }
  }
}
