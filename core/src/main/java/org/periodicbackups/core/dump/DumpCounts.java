package org.periodicbackups.core.dump;

/**
 * How many entries of each kind a dump file holds: what {@link DumpWriter#finish()} wrote, or what
 * a reader counted.
 *
 * @param documents entries of {@code Docs}
 * @param attachments entries of {@code Attachments}
 * @param documentDeletions entries of {@code DocsDeletions}
 * @param attachmentDeletions entries of {@code AttachmentsDeletions}
 */
public record DumpCounts(
    long documents, long attachments, long documentDeletions, long attachmentDeletions) {

  /** The number of deletions of both kinds. */
  public long deletions() {
    return documentDeletions + attachmentDeletions;
  }
}
