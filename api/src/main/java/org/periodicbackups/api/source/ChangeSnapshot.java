package org.periodicbackups.api.source;

import java.io.IOException;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.Tombstone;

/**
 * A consistent, read-only view of a database as of one instant: the cut of a backup.
 *
 * <p>Every read through one snapshot sees the same state, whatever writers do meanwhile, so a
 * backup file is exactly the database as of {@link #lastEtag()}. Writes after the cut are not
 * visible and wait for the next backup. Each {@code forEach…} method streams, in ascending etag
 * order, the items whose etag is greater than {@code afterEtag} (and, by construction, at most
 * {@link #lastEtag()}), without loading them all in memory.
 *
 * <p>A snapshot is used by one thread at a time and must be closed.
 */
public interface ChangeSnapshot extends AutoCloseable {

  /** The highest etag committed as of this snapshot: the cut. */
  long lastEtag() throws IOException;

  /** Streams documents (system documents may be included; the engine skips them). */
  void forEachDocument(long afterEtag, IoConsumer<Document> consumer) throws IOException;

  /** Streams attachments with their content. */
  void forEachAttachment(long afterEtag, AttachmentConsumer consumer) throws IOException;

  /** Streams document tombstones. */
  void forEachDocumentDeletion(long afterEtag, IoConsumer<Tombstone> consumer) throws IOException;

  /** Streams attachment tombstones. */
  void forEachAttachmentDeletion(long afterEtag, IoConsumer<Tombstone> consumer) throws IOException;

  /** Ends the snapshot and releases its read transaction. */
  @Override
  void close() throws IOException;
}
