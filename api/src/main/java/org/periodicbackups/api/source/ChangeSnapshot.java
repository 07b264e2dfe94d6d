package org.periodicbackups.api.source;

import java.io.IOException;
import java.util.Optional;
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

  /**
   * The physical image of this snapshot, if the source can write one (setup {@code "BackupType":
   * "Snapshot"}). The default is empty: such a source keeps logical full backups, and a setup that
   * asks for snapshots is a configuration error naming the database.
   */
  default Optional<SnapshotImage> image() throws IOException {
    return Optional.empty();
  }

  /**
   * What the database holds as of this snapshot (counts and {@link ContentDigest digest}), if the
   * source keeps a digest up to date with its writes; it must cost nothing proportional to the
   * database's size. The default is empty: backup files then say that they record no content, and a
   * restore of them cannot prove that it rebuilt the source.
   */
  default Optional<ContentDigest> content() throws IOException {
    return Optional.empty();
  }

  /** Ends the snapshot and releases its read transaction. */
  @Override
  void close() throws IOException;
}
