package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.ColdStorage;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.api.source.StagedRestore;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.RestoreListener.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a chain of backup files from any {@link BackupDestination}, using only its listing and
 * reads (no status document is needed).
 *
 * <ol>
 *   <li>{@link #plan}: pick the database, the chain and its files from the listing;
 *   <li>{@link #verify}: read every file in full and check the links between them, writing nothing;
 *   <li>{@link #restore}: verify, then read the files again and apply them in order.
 * </ol>
 *
 * <p>Restore only puts and deletes by key, so applying a chain twice gives the same state. A file
 * is applied in several batches; if applying fails part-way, the batch in progress is rolled back
 * but earlier ones stay, and the target holds a partial restore: restore again, preferably into an
 * empty database. Encrypted files are read with the keys given to the constructor, each file
 * picking its key by key id; a missing or wrong key, or encrypted data that does not authenticate,
 * fails verification, before anything is written. Thread-safe: it holds no state between calls.
 */
public final class ChainRestorer {

  /**
   * Operations per batch unless configured otherwise. Measured (bench/RESULTS.md): per 100,000
   * documents of 1 KiB, batches of 1,000 cost 11.8 CPU-s, of 5,000 8.0, of 20,000 7.4, of 100,000
   * 7.2; each commit syncs the WAL. It stays bounded because a store may keep a change event per
   * write of a batch for its listeners, and its WAL grows to the batch's size.
   */
  public static final int DEFAULT_BATCH_OPERATIONS = 20_000;

  /** Approximate bytes of content per batch unless configured otherwise. */
  public static final long DEFAULT_BATCH_BYTES = 64L * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ChainRestorer.class);

  private final RestoreListener listener;
  private final int batchOperations;
  private final long batchBytes;
  private final EncryptionKeys keys;
  private final ScratchTargets scratch; // null: images are checked without building a database

  /** A restorer with default batches and no progress listener. */
  public ChainRestorer() {
    this(RestoreListener.NONE, DEFAULT_BATCH_OPERATIONS, DEFAULT_BATCH_BYTES);
  }

  /**
   * A restorer with default batches that reads encrypted files with {@code keys}, each file picking
   * its key by key id (a chain may mix plain files and files of several keys).
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
  public ChainRestorer(
      RestoreListener listener, int batchOperations, long batchBytes, EncryptionKeys keys) {
    this(listener, batchOperations, batchBytes, keys, null);
  }

  private ChainRestorer(
      RestoreListener listener,
      int batchOperations,
      long batchBytes,
      EncryptionKeys keys,
      ScratchTargets scratch) {
    this.scratch = scratch;
    this.keys = requireNonNull(keys, "keys is null");
    this.listener = requireNonNull(listener, "listener is null");
    if (batchOperations < 1 || batchBytes < 1) {
      throw new IllegalArgumentException(
          "batch limits must be positive but were "
              + batchOperations
              + " operations and "
              + batchBytes
              + " bytes");
    }
    this.batchOperations = batchOperations;
    this.batchBytes = batchBytes;
  }

  /**
   * This restorer, verifying snapshot files by building a database from their image in {@code
   * scratch} and running the store's integrity check on it (then removing it); without scratch
   * targets an image's SHA-256, size and compression are checked, not its contents.
   */
  public ChainRestorer withScratch(ScratchTargets scratch) {
    return new ChainRestorer(
        listener, batchOperations, batchBytes, keys, requireNonNull(scratch, "scratch is null"));
  }

  /**
   * Chooses the files to restore from {@code source}'s listing. For a database written under a
   * lease it also reads the headers of the chosen chain's files for their fencing tokens; at a cold
   * source it first makes those files readable, all at once ({@link ColdStorage#thaw}).
   *
   * @throws RestoreException if nothing matching the request is found
   * @throws InvalidBackupException if the chosen chain has no full backup or a gap
   */
  public RestorePlan plan(BackupDestination source, RestoreRequest request) throws IOException {
    return plan(source, request, true);
  }

  /**
   * As {@link #plan}, from the listing alone: reads no file and requests nothing, for {@code
   * --plan}. Under a lease, the files are not fenced: a file left by a writer whose lease was taken
   * over may be in this plan, and the restore itself would skip it.
   */
  public RestorePlan planFromListing(BackupDestination source, RestoreRequest request)
      throws IOException {
    return plan(source, request, false);
  }

  private RestorePlan plan(BackupDestination source, RestoreRequest request, boolean readHeaders)
      throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(request, "request is null");
    String prefix = request.prefix() == null ? "" : request.prefix();
    Catalogue catalogue = Catalogue.of(source.list(prefix), request.database());
    String where = source.description() + (prefix.isEmpty() ? "" : " under '" + prefix + "'");
    if (catalogue.databases.isEmpty()) {
      throw new RestoreException(
          "no backup files found at "
              + where
              + (catalogue.ignoredNames.isEmpty()
                  ? ""
                  : "; "
                      + catalogue.ignoredNames.size()
                      + " other file(s) such as '"
                      + catalogue.ignoredNames.get(0)
                      + "' do not look like"
                      + " backups (<database>/<chain>/<sequence>-<time>.<type>.json.gz; if this is one"
                      + " database's folder, name the database)"));
    }
    String database = ChainChooser.database(catalogue, request.database(), where);
    catalogue.twoWriters(database).ifPresent(warning -> log.warn("{} (at {})", warning, where));
    List<PlannedFile> files;
    if (catalogue.leased.contains(database) && readHeaders) {
      // The headers read for the tokens are those of the chain a restore reads: thaw it first.
      thaw(source, ChainChooser.files(catalogue.databases.get(database), request, database, where));
      LeaseFencing fencing = new LeaseFencing(source, keys);
      try {
        files =
            new ArrayList<>(
                ChainChooser.files(
                    catalogue.databases.get(database), request, database, where, fencing::token));
        fencing.fence(files, catalogue.superseded, catalogue.ignoredNames);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    } else {
      files = ChainChooser.files(catalogue.databases.get(database), request, database, where);
    }
    ChainLinks.requireContiguous(files);
    return new RestorePlan(
        database, files.get(0).name().chainStart(), files, catalogue.ignoredNames);
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
    requireNonNull(plan, "plan is null");
    PlannedFile first = plan.files().get(0);
    if (first.isImage() && target.imageFormats().isEmpty()) {
      throw new RestoreException(
          first.storedName()
              + " is a snapshot file holding an image of a database, which restores only into a"
              + " new database; database '"
              + target.databaseName()
              + "' exists already or its store takes no image (--into-existing applies to"
              + " logical chains only): restore into a new database, or choose a chain of"
              + " logical files");
    }
    thaw(source, plan.files());
    BackupDestination reads = StagedReads.around(source);
    try {
      Optional<StagedRestore> staged = first.isImage() ? Optional.empty() : target.stage();
      if (first.isImage() || staged.isPresent()) {
        return new OnePassRestore(listener, batchOperations, batchBytes, keys)
            .restore(reads, plan, plan.files(), target, staged.orElse(null));
      }
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
  public RestoreResult restoreFile(
      BackupDestination source, String storedName, RestoreTarget target) throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(storedName, "storedName is null");
    requireNonNull(target, "target is null");
    long size =
        source.list(storedName).stream()
            .filter(f -> f.name().equals(storedName))
            .mapToLong(StoredFile::size)
            .findFirst()
            .orElse(-1);
    PlannedFile file =
        new PlannedFile(storedName, BackupFileName.parse(storedName).orElse(null), size);
    if (file.isImage()) {
      throw new RestoreException(
          storedName
              + " is a snapshot file; restore it with its chain (smuggler in <folder>"
              + " --incremental) into a new database");
    }
    Optional<StagedRestore> staged = target.stage();
    if (staged.isPresent()) {
      return new OnePassRestore(listener, batchOperations, batchBytes, keys)
          .restoreSingle(source, file, staged.get());
    }
    listener.fileStarted(Phase.VERIFY, file, 0, 1);
    VerifiedFile verified = verifyFile(source, file);
    listener.fileFinished(Phase.VERIFY, file, 0, 1);
    RestorePlan plan = OnePassRestore.single(file, verified.header());
    listener.fileStarted(Phase.APPLY, file, 0, 1);
    AppliedFile applied = apply(source, verified, target);
    listener.fileFinished(Phase.APPLY, file, 0, 1);
    return new RestoreResult(new ChainVerification(plan, List.of(verified)), List.of(applied));
  }

  /**
   * The files {@link #verifyAll(BackupDestination, String)} would read: of every chain of every
   * database under {@code prefix}, its latest restore path; reads no file. A chain with a gap is
   * planned up to the gap (its verification would name the gap).
   */
  public List<RestorePlan> planAll(BackupDestination source, String prefix) throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(prefix, "prefix is null");
    Catalogue catalogue = Catalogue.of(source.list(prefix), null);
    List<RestorePlan> plans = new ArrayList<>();
    for (var database : catalogue.databases.entrySet()) {
      for (var chain : database.getValue().entrySet()) {
        List<PlannedFile> path = ChainChooser.furthest(chain.getValue(), f -> true);
        if (!path.isEmpty()) {
          plans.add(
              new RestorePlan(database.getKey(), chain.getKey(), path, catalogue.ignoredNames));
        }
      }
    }
    return plans;
  }

  /**
   * Verifies every chain of every database at {@code source} (for {@code pbk verify}), going on
   * after a broken chain so that one report lists every problem. Of a compacted chain, the files
   * its latest restore reads are verified (see {@link ChainChooser#furthest}); finer files kept
   * beside compacted ones for point-in-time restores are verified when such a restore reads them.
   */
  public VerificationReport verifyAll(BackupDestination source) throws IOException {
    return verifyAll(source, "");
  }

  /** As {@link #verifyAll(BackupDestination)}, for the files under {@code prefix} only. */
  public VerificationReport verifyAll(BackupDestination source, String prefix) throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(prefix, "prefix is null");
    Catalogue catalogue = Catalogue.of(source.list(prefix), null);
    for (String database : catalogue.databases.keySet()) {
      catalogue
          .twoWriters(database)
          .ifPresent(warning -> log.warn("{} (at {})", warning, source.description()));
    }
    List<ChainReport> reports = new ArrayList<>();
    for (var database : catalogue.databases.entrySet()) {
      for (var chain : database.getValue().entrySet()) {
        List<VerifiedFile> verified = new ArrayList<>();
        String problem = null;
        List<PlannedFile> path = ChainChooser.furthest(chain.getValue(), f -> true);
        try {
          ChainLinks.requireContiguous(path);
          thaw(source, path);
          verifyChain(source, database.getKey(), path, verified::add);
        } catch (InvalidBackupException e) {
          problem = e.getMessage();
        }
        reports.add(
            new ChainReport(database.getKey(), chain.getKey(), verified, path.size(), problem));
      }
    }
    return new VerificationReport(reports, catalogue.ignoredNames);
  }

  /**
   * Makes every file of {@code files} readable at a cold source before the first is read: all
   * retrievals are requested at once and awaited together (see {@link ColdStorage#thaw}), instead
   * of one retrieval wait per file.
   */
  private static void thaw(BackupDestination source, List<PlannedFile> files) throws IOException {
    Optional<ColdStorage> cold = source.coldStorage();
    if (cold.isPresent() && !files.isEmpty()) {
      cold.get().thaw(files.stream().map(PlannedFile::storedName).toList());
    }
  }

  private void verifyChain(
      BackupDestination source,
      String database,
      List<PlannedFile> files,
      Consumer<VerifiedFile> out)
      throws IOException {
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

  private VerifiedFile verifyFile(BackupDestination source, PlannedFile file) throws IOException {
    if (file.isImage()) {
      return verifyImage(source, file);
    }
    CountingVisitor counter = new CountingVisitor();
    try (InputStream raw = source.open(file.storedName())) {
      Sha256InputStream in = new Sha256InputStream(raw);
      DumpHeader header = DumpReader.read(in, file.storedName(), keys, counter);
      in.drain();
      return new VerifiedFile(file, header, in.size(), in.sha256(), counter.counts());
    }
  }

  /**
   * Reads a snapshot file in full (SHA-256, decompression, the image's size and SHA-256) and, given
   * scratch targets, builds a database from its image there and runs the store's integrity check.
   */
  private VerifiedFile verifyImage(BackupDestination source, PlannedFile file) throws IOException {
    return OnePassRestore.readImage(
        source,
        file,
        keys,
        (header, image) -> {
          if (scratch != null) {
            RestoreTarget target = scratch.newTarget(header.database());
            OnePassRestore.requireReadable(target, header, file.storedName());
            try (StagedRestore staged = target.stageImage(header.image(), image)) {
              OnePassRestore.checkImage(staged, file.storedName());
              ContentCheck.of(file.storedName(), header, staged);
            }
          }
          return null;
        });
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
        throw new InvalidBackupException(
            file.storedName(),
            "the file changed between"
                + " verification (SHA-256 "
                + verified.sha256()
                + ") and restore (SHA-256 "
                + sha256
                + "); its last batch was rolled back but earlier batches were applied, so the target"
                + " holds a partial restore; restore again once the destination is stable");
      }
      visitor.commit();
      return new AppliedFile(
          file,
          header,
          visitor.documents,
          visitor.attachments,
          visitor.documentDeletions,
          visitor.attachmentDeletions,
          visitor.systemDocumentsSkipped);
    }
  }
}
