package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.DumpVisitor;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.RestoreListener.Phase;

/**
 * Restores a chain of backup files from any {@link BackupDestination}, using only its listing
 * and reads (no status document is needed).
 *
 * <ol>
 *   <li>{@link #plan}: pick the database, the chain and its files from the listing;
 *   <li>{@link #verify}: read every file in full and check the links between them, writing
 *       nothing;
 *   <li>{@link #restore}: verify, then read the files again and apply them in order.
 * </ol>
 *
 * <p>Restore only puts and deletes by key, so applying a chain twice gives the same state. A
 * file is applied in several batches; if applying fails part-way, the batch in progress is
 * rolled back but earlier ones stay, and the target holds a partial restore: restore again,
 * preferably into an empty database. Encrypted files are read with the keys given to the
 * constructor, each file picking its key by key id; a missing or wrong key, or encrypted data
 * that does not authenticate, fails verification, before anything is written. Thread-safe: it
 * holds no state between calls.
 */
public final class ChainRestorer {

  /**
   * Operations per batch unless configured otherwise. Measured (bench/RESULTS.md): per 100,000
   * documents of 1 KiB, batches of 1,000 cost 11.8 CPU-s, of 5,000 8.0, of 20,000 7.4, of
   * 100,000 7.2; each commit syncs the WAL. It stays bounded because a store may keep a change
   * event per write of a batch for its listeners, and its WAL grows to the batch's size.
   */
  public static final int DEFAULT_BATCH_OPERATIONS = 20_000;
  /** Approximate bytes of content per batch unless configured otherwise. */
  public static final long DEFAULT_BATCH_BYTES = 64L * 1024 * 1024;

  private final RestoreListener listener;
  private final int batchOperations;
  private final long batchBytes;
  private final EncryptionKeys keys;

  /** A restorer with default batches and no progress listener. */
  public ChainRestorer() {
    this(RestoreListener.NONE, DEFAULT_BATCH_OPERATIONS, DEFAULT_BATCH_BYTES);
  }

  /**
   * A restorer with default batches that reads encrypted files with {@code keys}, each file
   * picking its key by key id (a chain may mix plain files and files of several keys).
   */
  public ChainRestorer(EncryptionKeys keys) {
    this(RestoreListener.NONE, DEFAULT_BATCH_OPERATIONS, DEFAULT_BATCH_BYTES, keys);
  }

  /**
   * A restorer reporting to {@code listener}, committing a batch every {@code batchOperations}
   * writes or about {@code batchBytes} bytes of content, whichever comes first.
   */
  public ChainRestorer(RestoreListener listener, int batchOperations, long batchBytes) {
    this(listener, batchOperations, batchBytes, EncryptionKeys.none());
  }

  /** A restorer as above that reads encrypted files with {@code keys}. */
  public ChainRestorer(RestoreListener listener, int batchOperations, long batchBytes,
      EncryptionKeys keys) {
    this.keys = requireNonNull(keys, "keys is null");
    this.listener = requireNonNull(listener, "listener is null");
    if (batchOperations < 1 || batchBytes < 1) {
      throw new IllegalArgumentException("batch limits must be positive but were "
          + batchOperations + " operations and " + batchBytes + " bytes");
    }
    this.batchOperations = batchOperations;
    this.batchBytes = batchBytes;
  }

  /**
   * Chooses the files to restore from {@code source}'s listing; reads no file.
   *
   * @throws RestoreException if nothing matching the request is found
   * @throws InvalidBackupException if the chosen chain has no full backup or a gap
   */
  public RestorePlan plan(BackupDestination source, RestoreRequest request) throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(request, "request is null");
    String prefix = request.prefix() == null ? "" : request.prefix();
    Catalogue catalogue = Catalogue.of(source.list(prefix), request.database());
    String where = source.description() + (prefix.isEmpty() ? "" : " under '" + prefix + "'");
    if (catalogue.databases.isEmpty()) {
      throw new RestoreException("no backup files found at " + where
          + (catalogue.ignoredNames.isEmpty() ? "" : "; " + catalogue.ignoredNames.size()
              + " other file(s) such as '" + catalogue.ignoredNames.get(0) + "' do not look like"
              + " backups (<database>/<chain>/<sequence>-<time>.<type>.json.gz; if this is one"
              + " database's folder, name the database)"));
    }
    String database = chooseDatabase(catalogue, request.database(), where);
    TreeMap<Instant, List<PlannedFile>> chains = catalogue.databases.get(database);
    List<PlannedFile> files;
    if (request.untilFile() != null) {
      files = upToFile(chains, request.untilFile(), database, where);
    } else if (request.until() != null) {
      files = upToTime(chains, request.until(), database, where);
    } else {
      files = latest(chains.values(), Instant.MAX);
    }
    Catalogue.requireContiguous(files);
    return new RestorePlan(database, files.get(0).name().chainStart(), files,
        catalogue.ignoredNames);
  }

  private static String chooseDatabase(Catalogue catalogue, String requested, String where)
      throws RestoreException {
    if (requested == null) {
      if (catalogue.databases.size() > 1) {
        throw new RestoreException("backups of several databases are at " + where + ": "
            + catalogue.databases.keySet() + "; name the one to restore");
      }
      return catalogue.databases.keySet().iterator().next();
    }
    if (!catalogue.databases.containsKey(requested)) {
      throw new RestoreException("no backups of database '" + requested + "' at " + where
          + "; found backups of " + catalogue.databases.keySet());
    }
    return requested;
  }

  private static List<PlannedFile> upToFile(TreeMap<Instant, List<PlannedFile>> chains,
      String untilFile, String database, String where) throws RestoreException {
    for (List<PlannedFile> chain : chains.values()) {
      for (int i = 0; i < chain.size(); i++) {
        PlannedFile f = chain.get(i);
        if (f.storedName().equals(untilFile) || f.name().path().equals(untilFile)
            || f.name().fileName().equals(untilFile)) {
          return chain.subList(0, i + 1);
        }
      }
    }
    throw new RestoreException("no backup file '" + untilFile + "' of database '" + database
        + "' at " + where);
  }

  private static List<PlannedFile> upToTime(TreeMap<Instant, List<PlannedFile>> chains,
      Instant until, String database, String where) throws IOException {
    Map.Entry<Instant, List<PlannedFile>> chain = chains.floorEntry(until);
    if (chain == null) {
      throw new RestoreException("no backup chain of database '" + database + "' at " + where
          + " started at or before " + until + "; the oldest started at " + chains.firstKey());
    }
    List<PlannedFile> files = latest(chains.headMap(until, true).values(), until);
    if (files.isEmpty()) {
      Catalogue.requireContiguous(chain.getValue()); // the chain lacks its full: say so
    }
    return files;
  }

  /**
   * The files, up to {@code until}, of the chain that reaches the latest moment: the chain
   * whose last file up to then was created last (of two reaching the same moment, the one
   * started later). Usually the newest chain; but a full backup whose run died after its upload
   * and before its status write starts a chain the engine never continues, while the previous
   * chain goes on: restoring that newer chain would give back an older state of the database.
   */
  private static List<PlannedFile> latest(Collection<List<PlannedFile>> chains, Instant until) {
    List<PlannedFile> best = List.of();
    for (List<PlannedFile> chain : chains) {
      List<PlannedFile> files = new ArrayList<>();
      for (PlannedFile f : chain) {
        if (f.name().createdAt().isAfter(until)) {
          break;
        }
        files.add(f);
      }
      if (!files.isEmpty() && (best.isEmpty() || !lastCreated(files).isBefore(lastCreated(best)))) {
        best = files;
      }
    }
    return best;
  }

  private static Instant lastCreated(List<PlannedFile> files) {
    return files.get(files.size() - 1).name().createdAt();
  }

  /**
   * Reads every file of {@code plan} in full and checks the chain; writes nothing.
   *
   * @throws InvalidBackupException naming the first file found unreadable or out of place
   */
  public ChainVerification verify(BackupDestination source, RestorePlan plan) throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(plan, "plan is null");
    List<VerifiedFile> verified = new ArrayList<>();
    verifyChain(source, plan.database(), plan.files(), verified::add);
    return new ChainVerification(plan, verified);
  }

  /**
   * Verifies {@code plan} and, only if it is sound, applies it to {@code target}. From a cold
   * source (no immediate reads) each file is retrieved once into a temporary folder, which both
   * passes read; the folder is removed afterwards.
   *
   * @throws InvalidBackupException if verification fails (nothing was written), or if a file's
   *     bytes changed between verification and apply (the target then holds a partial restore)
   */
  public RestoreResult restore(BackupDestination source, RestorePlan plan, RestoreTarget target)
      throws IOException {
    requireNonNull(target, "target is null");
    BackupDestination reads = StagedReads.around(source);
    try {
      ChainVerification verification = verify(reads, plan);
      List<AppliedFile> applied = new ArrayList<>();
      List<VerifiedFile> files = verification.files();
      for (int i = 0; i < files.size(); i++) {
        listener.fileStarted(Phase.APPLY, files.get(i).file(), i, files.size());
        applied.add(apply(reads, files.get(i), target));
        listener.fileFinished(Phase.APPLY, files.get(i).file(), i, files.size());
      }
      return new RestoreResult(verification, applied);
    } finally {
      if (reads != source) {
        reads.close();
      }
    }
  }

  /**
   * Verifies and applies one file on its own, full or incremental, without chain checks: the
   * smuggler's import of a single dump.
   *
   * @param storedName the file's name at {@code source}
   */
  public RestoreResult restoreFile(BackupDestination source, String storedName,
      RestoreTarget target) throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(storedName, "storedName is null");
    requireNonNull(target, "target is null");
    long size = source.list(storedName).stream().filter(f -> f.name().equals(storedName))
        .mapToLong(StoredFile::size).findFirst().orElse(-1);
    PlannedFile file = new PlannedFile(storedName,
        BackupFileName.parse(storedName).orElse(null), size);
    listener.fileStarted(Phase.VERIFY, file, 0, 1);
    VerifiedFile verified = verifyFile(source, file);
    listener.fileFinished(Phase.VERIFY, file, 0, 1);
    DumpHeader header = verified.header();
    RestorePlan plan = new RestorePlan(header.database(),
        file.name() == null ? header.createdAt() : file.name().chainStart(), List.of(file),
        List.of());
    listener.fileStarted(Phase.APPLY, file, 0, 1);
    AppliedFile applied = apply(source, verified, target);
    listener.fileFinished(Phase.APPLY, file, 0, 1);
    return new RestoreResult(new ChainVerification(plan, List.of(verified)), List.of(applied));
  }

  /**
   * Verifies every chain of every database at {@code source} (for {@code pbk verify}), going on
   * after a broken chain so that one report lists every problem.
   */
  public VerificationReport verifyAll(BackupDestination source) throws IOException {
    return verifyAll(source, "");
  }

  /** As {@link #verifyAll(BackupDestination)}, for the files under {@code prefix} only. */
  public VerificationReport verifyAll(BackupDestination source, String prefix)
      throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(prefix, "prefix is null");
    Catalogue catalogue = Catalogue.of(source.list(prefix), null);
    List<ChainReport> reports = new ArrayList<>();
    for (var database : catalogue.databases.entrySet()) {
      for (var chain : database.getValue().entrySet()) {
        List<VerifiedFile> verified = new ArrayList<>();
        String problem = null;
        try {
          Catalogue.requireContiguous(chain.getValue());
          verifyChain(source, database.getKey(), chain.getValue(), verified::add);
        } catch (InvalidBackupException e) {
          problem = e.getMessage();
        }
        reports.add(new ChainReport(database.getKey(), chain.getKey(), verified,
            chain.getValue().size(), problem));
      }
    }
    return new VerificationReport(reports, catalogue.ignoredNames);
  }

  private void verifyChain(BackupDestination source, String database, List<PlannedFile> files,
      Consumer<VerifiedFile> out) throws IOException {
    VerifiedFile previous = null;
    for (int i = 0; i < files.size(); i++) {
      PlannedFile file = files.get(i);
      listener.fileStarted(Phase.VERIFY, file, i, files.size());
      VerifiedFile current = verifyFile(source, file);
      ChainLinks.check(database, previous, current);
      out.accept(current);
      listener.fileFinished(Phase.VERIFY, file, i, files.size());
      previous = current;
    }
  }

  private VerifiedFile verifyFile(BackupDestination source, PlannedFile file)
      throws IOException {
    CountingVisitor counter = new CountingVisitor();
    try (InputStream raw = source.open(file.storedName())) {
      Sha256InputStream in = new Sha256InputStream(raw);
      DumpHeader header = DumpReader.read(in, file.storedName(), keys, counter);
      in.drain();
      return new VerifiedFile(file, header, in.size(), in.sha256(), counter.counts());
    }
  }

  private AppliedFile apply(BackupDestination source, VerifiedFile verified, RestoreTarget target)
      throws IOException {
    PlannedFile file = verified.file();
    try (InputStream raw = source.open(file.storedName());
        ApplyingVisitor visitor = new ApplyingVisitor(target, batchOperations, batchBytes)) {
      Sha256InputStream in = new Sha256InputStream(raw);
      DumpHeader header = DumpReader.read(in, file.storedName(), keys, visitor);
      in.drain();
      String sha256 = in.sha256();
      if (!sha256.equals(verified.sha256())) {
        throw new InvalidBackupException(file.storedName(), "the file changed between"
            + " verification (SHA-256 " + verified.sha256() + ") and restore (SHA-256 " + sha256
            + "); its last batch was rolled back but earlier batches were applied, so the target"
            + " holds a partial restore; restore again once the destination is stable");
      }
      visitor.commit();
      return new AppliedFile(file, header, visitor.documents, visitor.attachments,
          visitor.documentDeletions, visitor.attachmentDeletions,
          visitor.systemDocumentsSkipped);
    }
  }

  /** Counts entries without keeping them. */
  private static final class CountingVisitor implements DumpVisitor {
    private long documents;
    private long attachments;
    private long documentDeletions;
    private long attachmentDeletions;

    @Override
    public void document(String key, long etag, String metadataJson, String bodyJson) {
      documents++;
    }

    @Override
    public java.io.OutputStream attachment(String key, long etag, String metadataJson,
        long size) {
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

    DumpCounts counts() {
      return new DumpCounts(documents, attachments, documentDeletions, attachmentDeletions);
    }
  }

  /** The checks between consecutive files of a chain. */
  private static final class ChainLinks {
    private ChainLinks() {}

    static void check(String database, VerifiedFile previous, VerifiedFile current)
        throws InvalidBackupException {
      DumpHeader h = current.header();
      String name = current.file().storedName();
      BackupFileName parsed = current.file().name();
      if (!h.database().equals(database)) {
        throw new InvalidBackupException(name, "it is a backup of database '" + h.database()
            + "', not of '" + database + "'; it does not belong in this folder");
      }
      if (h.type() != parsed.type()) {
        throw new InvalidBackupException(name, "its header says " + h.type().displayName()
            + " but its name says " + parsed.type().fileSuffix() + "; it was renamed");
      }
      if (previous == null) {
        if (h.type() != BackupType.FULL) {
          throw new InvalidBackupException(name, "a chain starts with a full backup");
        }
        return;
      }
      DumpHeader p = previous.header();
      String before = previous.file().storedName();
      if (h.fromEtag() != p.toEtag()) {
        throw new InvalidBackupException(name, "broken chain: it starts after etag "
            + h.fromEtag() + " but the previous file '" + before + "' ends at etag "
            + p.toEtag() + "; files are missing, out of order or from another chain");
      }
      String expectedPrevious = previous.file().name().path();
      if (!expectedPrevious.equals(h.previous())) {
        throw new InvalidBackupException(name, "broken chain: it follows '" + h.previous()
            + "' but the previous file here is '" + before + "'; files are out of order or"
            + " from another chain");
      }
      if (!previous.sha256().equals(h.previousSha256())) {
        throw new InvalidBackupException(before, "checksum mismatch: its SHA-256 is "
            + previous.sha256() + " but the next file '" + name + "' recorded "
            + h.previousSha256() + "; it was changed or replaced after the backup; use another"
            + " copy of it");
      }
      if (h.createdAt().isBefore(p.createdAt())) {
        throw new InvalidBackupException(name, "it was created at " + h.createdAt()
            + ", before the previous file '" + before + "' (" + p.createdAt() + ")");
      }
    }
  }
}
