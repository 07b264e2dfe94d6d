package org.periodicbackups.core.restore;

import java.io.OutputStream;
import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpVisitor;

/** Counts a dump file's entries without keeping them; attachment contents are skipped. */
final class CountingVisitor implements DumpVisitor {
  private long documents;
  private long attachments;
  private long documentDeletions;
  private long attachmentDeletions;

  @Override
  public void document(String key, long etag, String metadataJson, String bodyJson) {
    documents++;
  }

  @Override
  public OutputStream attachment(String key, long etag, String metadataJson, long size) {
    attachments++;
    return null;
  }

  @Override
  public void documentDeletion(String key, long etag) {
    documentDeletions++;
  }

  @Override
  public void attachmentDeletion(String key, long etag) {
    attachmentDeletions++;
  }

  /** The entries counted so far. */
  DumpCounts counts() {
    return new DumpCounts(documents, attachments, documentDeletions, attachmentDeletions);
  }
}
