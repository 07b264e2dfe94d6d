package org.periodicbackups.core.restore;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.source.ImageFormat;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.api.source.StagedRestore;
import org.periodicbackups.core.dump.DumpCounts;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.dump.SnapshotFile;
import org.periodicbackups.core.restore.RestoreListener.Phase;

/**
 * A restore into a {@link StagedRestore staged} new database, reading every file once
 * (docs/DESIGN.md, "One-pass restore"): each file is checked while it is applied (its SHA-256, its
 * link to the previous file, its format), and the staged database becomes the target only when the
 * whole chain applied; any failure removes it. A snapshot chain starts from its image, streamed
 * into the new database and checked by the store's integrity check before the incrementals apply.
 */
final class OnePassRestore {
  private static final DumpCounts NO_ENTRIES = new DumpCounts(0, 0, 0, 0);

  private final RestoreListener listener;
  private final int batchOperations;
  private final long batchBytes;
  private final EncryptionKeys keys;

  OnePassRestore(
      RestoreListener listener, int batchOperations, long batchBytes, EncryptionKeys keys) {
    this.listener = listener;
    this.batchOperations = batchOperations;
    this.batchBytes = batchBytes;
    this.keys = keys;
  }

  /**
   * Restores {@code files} (a checked plan) into a new database: staged from empty by {@code
   * staged}, or, when {@code staged} is null, from the image of the first file.
   */
  RestoreResult restore(
      BackupDestination source,
      RestorePlan plan,
      List<PlannedFile> files,
      RestoreTarget target,
      StagedRestore staged)
      throws IOException {
    StagedRestore[] stage = {staged};
    try {
      List<VerifiedFile> verified = new ArrayList<>();
      List<AppliedFile> applied = new ArrayList<>();
      VerifiedFile previous = null;
      for (int i = 0; i < files.size(); i++) {
        PlannedFile file = files.get(i);
        listener.fileStarted(Phase.APPLY, file, i, files.size());
        VerifiedFile current;
        if (i == 0 && stage[0] == null) {
          current = stageImage(source, file, target, stage);
          applied.add(new AppliedFile(file, current.header(), 0, 0, 0, 0, 0));
        } else {
          if (file.isImage()) {
            throw new InvalidBackupException(
                file.storedName(), "a snapshot file can only start a chain, not follow a file");
          }
          AppliedFile[] out = new AppliedFile[1];
          current = apply(source, file, stage[0], out);
          applied.add(out[0]);
        }
        ChainLinks.check(plan.database(), previous, current);
        verified.add(current);
        listener.fileFinished(Phase.APPLY, file, i, files.size());
        previous = current;
      }
      ContentCheck content =
          ContentCheck.of(previous.file().storedName(), previous.header(), stage[0]);
      stage[0].commit();
      return new RestoreResult(new ChainVerification(plan, verified), applied, content);
    } finally {
      if (stage[0] != null) {
        stage[0].close();
      }
    }
  }

  /**
   * Applies one logical file on its own (the smuggler's import of a single dump) to {@code staged},
   * without chain checks, and commits it.
   */
  RestoreResult restoreSingle(BackupDestination source, PlannedFile file, StagedRestore staged)
      throws IOException {
    try (staged) {
      listener.fileStarted(Phase.APPLY, file, 0, 1);
      AppliedFile[] out = new AppliedFile[1];
      VerifiedFile verified = apply(source, file, staged, out);
      // An incremental on its own holds only changes, not the database its header describes.
      ContentCheck content =
          verified.header().type() == BackupType.FULL
              ? ContentCheck.of(file.storedName(), verified.header(), staged)
              : ContentCheck.notChecked(
                  file.storedName(), "an incremental file applied on its own holds only changes");
      staged.commit();
      listener.fileFinished(Phase.APPLY, file, 0, 1);
      RestorePlan plan = single(file, verified.header());
      return new RestoreResult(
          new ChainVerification(plan, List.of(verified)), List.of(out[0]), content);
    }
  }

  /** Streams the image of {@code file} into a new staged database and checks its integrity. */
  private VerifiedFile stageImage(
      BackupDestination source, PlannedFile file, RestoreTarget target, StagedRestore[] stage)
      throws IOException {
    VerifiedFile verified =
        readImage(
            source,
            file,
            keys,
            (header, image) -> {
              requireReadable(target, header, file.storedName());
              stage[0] = target.stageImage(header.image(), image);
              return null;
            });
    checkImage(stage[0], file.storedName());
    return verified;
  }

  /** Reads the snapshot file {@code file} in full, its image through {@code consumer}. */
  static VerifiedFile readImage(
      BackupDestination source,
      PlannedFile file,
      EncryptionKeys keys,
      SnapshotFile.ImageConsumer<?> consumer)
      throws IOException {
    try (InputStream raw = source.open(file.storedName())) {
      Sha256InputStream in = new Sha256InputStream(raw);
      SnapshotFile.Read<?> read = SnapshotFile.read(in, file.storedName(), keys, consumer);
      in.drain();
      return new VerifiedFile(file, read.header(), in.size(), in.sha256(), NO_ENTRIES);
    }
  }

  /** The store's integrity check of a database built from the image of {@code fileName}. */
  static void checkImage(StagedRestore staged, String fileName) throws InvalidBackupException {
    try {
      staged.check();
    } catch (IOException e) {
      throw new InvalidBackupException(
          fileName,
          "its image failed the store's integrity check: "
              + e.getMessage()
              + "; the file is damaged or was altered",
          e);
    }
  }

  /** The plan of a file restored on its own, named after its header. */
  static RestorePlan single(PlannedFile file, DumpHeader header) {
    return new RestorePlan(
        header.database(),
        file.name() == null ? header.createdAt() : file.name().chainStart(),
        List.of(file),
        List.of());
  }

  /** Refuses an image the target does not read, naming the file and both formats. */
  static void requireReadable(RestoreTarget target, DumpHeader header, String fileName)
      throws InvalidBackupException {
    List<ImageFormat> formats = target.imageFormats();
    if (!formats.contains(header.image())) {
      throw new InvalidBackupException(
          fileName,
          "it holds an image of "
              + header.image()
              + ", but database '"
              + target.databaseName()
              + "' is built from "
              + (formats.isEmpty()
                  ? "no image at all"
                  : String.join(" or ", formats.stream().map(ImageFormat::toString).toList()))
              + "; restore it with the store and release that wrote it");
    }
  }

  /** Reads {@code file} once, applying it to {@code stage} and checking it on the way. */
  private VerifiedFile apply(
      BackupDestination source, PlannedFile file, StagedRestore stage, AppliedFile[] out)
      throws IOException {
    try (InputStream raw = source.open(file.storedName());
        ApplyingVisitor visitor = new ApplyingVisitor(stage, batchOperations, batchBytes)) {
      Sha256InputStream in = new Sha256InputStream(raw);
      DumpHeader header = DumpReader.read(in, file.storedName(), keys, visitor);
      in.drain();
      visitor.commit();
      out[0] =
          new AppliedFile(
              file,
              header,
              visitor.documents,
              visitor.attachments,
              visitor.documentDeletions,
              visitor.attachmentDeletions,
              visitor.systemDocumentsSkipped);
      DumpCounts counts =
          new DumpCounts(
              visitor.documents + visitor.systemDocumentsSkipped,
              visitor.attachments,
              visitor.documentDeletions,
              visitor.attachmentDeletions);
      return new VerifiedFile(file, header, in.size(), in.sha256(), counts);
    }
  }
}
