package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A chain whose files were all read in full and whose links hold: same database, etags that
 * continue, each incremental naming its predecessor and that predecessor's SHA-256.
 *
 * @param plan what was verified
 * @param files one entry per file of the plan, in order
 */
public record ChainVerification(RestorePlan plan, List<VerifiedFile> files) {
  public ChainVerification {
    requireNonNull(plan, "plan is null");
    files = List.copyOf(files);
  }

  /** The etag the chain reaches: the last file's {@code ToEtag}. */
  public long toEtag() {
    return files.get(files.size() - 1).header().toEtag();
  }
}
