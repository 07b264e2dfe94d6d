package org.periodicbackups.core.backup;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.source.ChangeSource;
import org.periodicbackups.core.backup.CompactionPolicy.Group;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.Compaction;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.DumpVisitor;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.ChainFiles;
import org.periodicbackups.core.restore.PlannedFile;
import org.periodicbackups.core.restore.VerifiedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the small incrementals of a database's current chain into compacted files and removes the
 * files they merged once those are old enough (docs/DESIGN.md, "Continuous backup and compaction").
 * A step runs after a backup run, under the run's locks and lease, at most once per {@link
 * CompactionPolicy#stepInterval()}, and merges for at most {@link #BUDGET}.
 *
 * <p>Every step is safe to stop at any point: a merge writes a new file beside the ones it merges
 * (which stay), checks that the stored copy reads back with the SHA-256 it wrote, and only later
 * steps remove merged files, after reading the compacted file that covers them in full and checking
 * that the chain stays restorable without them. Temporary files are named as the exporter's, so a
 * killed process's are removed by the next run of the database.
 */
final class Compactor {
  private static final Logger log = LoggerFactory.getLogger(Compactor.class);

  /** How long one step merges before it leaves the rest to the next step. */
  static final Duration BUDGET = Duration.ofSeconds(2);

  private final Path workFolder;
  private final Map<String, Instant> lastStep = new ConcurrentHashMap<>();
  private final Set<String> readBack = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> locks = new ConcurrentHashMap<>();

  Compactor(Path workFolder) {
    this.workFolder = requireNonNull(workFolder, "workFolder is null");
  }

  /**
   * What a step needs of the backup run that calls it.
   *
   * @param chainStart the chain the run continues; only it is compacted
   * @param writeKey the key new files are encrypted with, or null for plain files
   * @param confirmation run before anything is stored or removed: the lease's renewal
   */
  record Run(
      ChangeSource source,
      DestinationContext context,
      List<DestinationProvider> providers,
      Instant chainStart,
      EncryptionKey writeKey,
      DumpCompression compression,
      Uploads.Confirmation confirmation) {}

  /**
   * What a step did: compacted files written, merged files removed, and the requests it made of the
   * destinations (listings, reads, uploads, removals).
   */
  record Result(int written, int removed, int requests) {
    static final Result NONE = new Result(0, 0, 0);
  }

  /** The requests of one step so far. */
  private static final class Requests {
    int count;
  }

  /**
   * Runs a step if the setup asks for compaction and one is due at {@code now}. Never fails the run
   * that calls it: a failure is logged and the chain is left restorable, to be compacted later.
   */
  Result stepIfDue(Run run, Instant now) {
    CompactionPolicy policy = CompactionPolicy.of(run.context().setup());
    String database = run.context().databaseName();
    if (!policy.isActive()) {
      return Result.NONE;
    }
    Instant last = lastStep.get(database);
    if (last != null && now.isBefore(last.plus(policy.stepInterval()))) {
      return Result.NONE;
    }
    lastStep.put(database, now);
    try {
      return step(run, policy, now);
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      log.info("compaction of '{}' stopped: {}", database, e.getMessage());
    } catch (IOException | RuntimeException e) {
      log.warn(
          "compaction of '{}' failed; the chain is as restorable as before and the next step"
              + " tries again: {}",
          database,
          e.toString());
    }
    return Result.NONE;
  }

  private Result step(Run run, CompactionPolicy policy, Instant now) throws IOException {
    String database = run.context().databaseName();
    List<BackupDestination> opened = new ArrayList<>();
    try {
      for (DestinationProvider provider : run.providers()) {
        BackupDestination destination = provider.create(run.context());
        opened.add(destination);
        if (!destination.capabilities().immediateListing()
            || !destination.capabilities().immediateReads()) {
          log.debug(
              "compaction of '{}' skipped: {} does not list and read files immediately",
              database,
              destination.description());
          return Result.NONE;
        }
      }
      EncryptionKeys keys = EncryptionKeys.ownKey(run.source());
      BackupDestination source = opened.get(0);
      Requests requests = new Requests();
      int written = 0;
      long deadline = System.nanoTime() + BUDGET.toNanos();
      while (System.nanoTime() < deadline) {
        requests.count++;
        List<PlannedFile> chain =
            ChainFiles.chain(source.list(database + "/"), database, run.chainStart());
        if (chain.isEmpty()) {
          break;
        }
        Optional<Group> group = policy.nextGroup(ChainFiles.restorePath(chain), now);
        if (group.isEmpty()) {
          break;
        }
        merge(run, keys, source, group.get(), requests);
        written++;
      }
      int removed = 0;
      for (BackupDestination destination : opened) {
        removed += removeMerged(run, policy, keys, destination, now, requests);
      }
      return new Result(written, removed, requests.count);
    } finally {
      Uploads.closeAll(opened);
    }
  }

  /** Merges {@code group} into one compacted file, stores it everywhere and reads it back. */
  private void merge(
      Run run, EncryptionKeys keys, BackupDestination source, Group group, Requests requests)
      throws IOException {
    String database = run.context().databaseName();
    long started = System.nanoTime();
    List<Path> temporary = new ArrayList<>();
    try {
      MergedDump merge = new MergedDump(workFolder, database, keys);
      List<VerifiedFile> read = new ArrayList<>();
      for (int i = 0; i < group.files().size(); i++) {
        PlannedFile file = group.files().get(i);
        Path copy = DumpExporter.temporaryFile(workFolder, database, ".part");
        temporary.add(copy);
        MessageDigest sha256 = DumpExporter.sha256();
        requests.count++;
        try (InputStream in = source.open(file.storedName());
            OutputStream out = new DigestOutputStream(Files.newOutputStream(copy), sha256)) {
          in.transferTo(out);
        }
        long[] counts = new long[4];
        DumpHeader header = merge.read(copy, file.storedName(), counts);
        VerifiedFile current =
            new VerifiedFile(
                file,
                header,
                Files.size(copy),
                HexFormat.of().formatHex(sha256.digest()),
                new DumpCounts(counts[0], counts[1], counts[2], counts[3]));
        if (!read.isEmpty()) {
          ChainFiles.checkLink(database, read.get(read.size() - 1), current);
        }
        read.add(current);
      }
      BackupFileName name =
          group
              .first()
              .name()
              .compactedThrough(
                  group.last().name(),
                  group.level(),
                  run.compression().codec(),
                  run.writeKey() != null);
      DumpHeader header = mergedHeader(run, name, read);
      Path merged =
          DumpExporter.temporaryFile(
              workFolder,
              database,
              "." + name.codec().extension() + (run.writeKey() == null ? "" : ".enc"));
      temporary.add(merged);
      ExportedFile exported = merge.write(merged, header, run.compression(), run.writeKey());
      BackupEngine.abortIfInterrupted(database, "compacting");
      requests.count += run.providers().size() + 1;
      Uploads.toAll(
          run.context(), run.providers(), name, exported, new ArrayList<>(), run.confirmation());
      checkReadBack(run, source, name, exported);
      log.info(
          "compacted {} files of '{}' ({} to {}) into {} (level {}, {} bytes, {} ms)",
          group.files().size(),
          database,
          group.first().name().fileName(),
          group.last().name().fileName(),
          name.path(),
          group.level(),
          exported.size(),
          Duration.ofNanos(System.nanoTime() - started).toMillis());
    } finally {
      for (Path path : temporary) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * The compacted file's header: it follows what the group's first file follows, and it ends where
   * the last ends, with the last's content digest and lease, naming the last file it stands for.
   */
  private static DumpHeader mergedHeader(Run run, BackupFileName name, List<VerifiedFile> read) {
    DumpHeader first = read.get(0).header();
    VerifiedFile lastFile = read.get(read.size() - 1);
    DumpHeader last = lastFile.header();
    Compaction compacts =
        last.compacts() == null
            ? new Compaction(name.positions(), lastFile.file().name().path(), lastFile.sha256())
            : new Compaction(
                name.positions(), last.compacts().last(), last.compacts().lastSha256());
    return new DumpHeader(
            DumpHeader.FORMAT_VERSION,
            name.database(),
            BackupType.INCREMENTAL,
            last.createdAt(),
            first.fromEtag(),
            last.toEtag(),
            run.compression().codec().codecName(),
            first.previous(),
            first.previousSha256())
        .withEncryption(run.writeKey())
        .withContent(last.content())
        .withLease(last.lease())
        .withCompacts(compacts);
  }

  /**
   * Reads the stored compacted file back from {@code source}; if its SHA-256 is not the one
   * written, removes it from every destination and fails.
   */
  private void checkReadBack(
      Run run, BackupDestination source, BackupFileName name, ExportedFile exported)
      throws IOException {
    MessageDigest sha256 = DumpExporter.sha256();
    try (InputStream in = source.open(name.path())) {
      in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
    }
    String stored = HexFormat.of().formatHex(sha256.digest());
    if (!stored.equals(exported.sha256())) {
      for (DestinationProvider provider : run.providers()) {
        try (BackupDestination destination = provider.create(run.context())) {
          destination.delete(name.path());
        }
      }
      throw new InvalidBackupException(
          name.path(),
          "the compacted file read back with SHA-256 "
              + stored
              + " but "
              + exported.sha256()
              + " was written; it was removed and the files it merged stay");
    }
    readBack.add(source.description() + "\n" + name.path());
  }

  /**
   * Removes from {@code destination} the merged files the policy no longer keeps, once the
   * compacted files covering them read in full and the chain is restorable without them.
   */
  private int removeMerged(
      Run run,
      CompactionPolicy policy,
      EncryptionKeys keys,
      BackupDestination destination,
      Instant now,
      Requests requests)
      throws IOException {
    String database = run.context().databaseName();
    requests.count++;
    List<PlannedFile> chain =
        ChainFiles.chain(destination.list(database + "/"), database, run.chainStart());
    List<PlannedFile> doomed = policy.filesToRemove(chain, now);
    if (doomed.isEmpty()) {
      return 0;
    }
    List<PlannedFile> remaining = new ArrayList<>(chain);
    remaining.removeAll(doomed);
    ChainFiles.restorePath(remaining); // throws, removing nothing, if it would not restore
    Set<PlannedFile> covering = new LinkedHashSet<>();
    for (PlannedFile file : doomed) {
      covering.add(CompactionPolicy.coveringFile(chain, file.name()).orElseThrow());
    }
    for (PlannedFile compacted : covering) {
      String key = destination.description() + "\n" + compacted.storedName();
      if (!readBack.contains(key)) {
        requests.count++;
        try (InputStream in = destination.open(compacted.storedName())) {
          DumpReader.read(in, compacted.storedName(), keys, new DumpVisitor() {});
        }
        readBack.add(key);
      }
    }
    run.confirmation().confirm(); // a writer whose lease was taken over removes nothing
    int removed = 0;
    Instant lockedUntil = null;
    for (PlannedFile file : doomed) {
      requests.count++;
      Optional<Instant> locked =
          ChainLocks.deleteUnlessLocked(destination, file.storedName(), now, locks);
      if (locked.isEmpty()) {
        removed++;
      } else if (lockedUntil == null || locked.get().isAfter(lockedUntil)) {
        lockedUntil = locked.get();
      }
    }
    log.info(
        "compaction removed {} merged file(s) of '{}' from {}{}",
        removed,
        database,
        destination.description(),
        lockedUntil == null
            ? ""
            : "; "
                + (doomed.size() - removed)
                + " stay under Object Lock until "
                + lockedUntil
                + " (restores read the compacted files)");
    return removed;
  }
}
