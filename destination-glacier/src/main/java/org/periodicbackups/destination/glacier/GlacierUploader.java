package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.glacier.GlacierClient;

/**
 * Stores one file as one archive: a single {@code UploadArchive} up to the part size, otherwise a
 * multipart upload whose parts are read straight from the file (each part is read twice, once to
 * hash it and once to send it, so memory stays bounded whatever the part size). A failed multipart
 * upload is aborted, so no partial archive remains.
 */
final class GlacierUploader {
  private static final Logger LOG = LoggerFactory.getLogger(GlacierUploader.class);

  /** An uploaded archive. */
  record Uploaded(String archiveId, long size, String treeHash) {}

  private final GlacierClient glacier;
  private final GlacierDestinationConfig config;
  private final GlacierErrors errors;

  GlacierUploader(GlacierClient glacier, GlacierDestinationConfig config, GlacierErrors errors) {
    this.glacier = glacier;
    this.config = config;
    this.errors = errors;
  }

  Uploaded upload(String name, Path file, String description) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      return size <= config.partSizeBytes()
          ? single(name, file, channel, size, description)
          : multipart(name, file, channel, size, description);
    }
  }

  private Uploaded single(
      String name, Path file, FileChannel channel, long size, String description)
      throws IOException {
    String treeHash = TreeHash.ofRange(channel, 0, size).hex();
    try {
      String archiveId =
          glacier
              .uploadArchive(
                  b ->
                      b.accountId("-")
                          .vaultName(config.vault())
                          .archiveDescription(description)
                          .checksum(treeHash)
                          .contentLength(size),
                  RequestBody.fromContentProvider(
                      () -> range(file, 0, size), size, "application/octet-stream"))
              .archiveId();
      return new Uploaded(archiveId, size, treeHash);
    } catch (SdkException e) {
      throw errors.translate("upload", name, e);
    }
  }

  private Uploaded multipart(
      String name, Path file, FileChannel channel, long size, String description)
      throws IOException {
    long partSize = config.partSizeBytes();
    String uploadId;
    try {
      uploadId =
          glacier
              .initiateMultipartUpload(
                  b ->
                      b.accountId("-")
                          .vaultName(config.vault())
                          .archiveDescription(description)
                          .partSize(Long.toString(partSize)))
              .uploadId();
    } catch (SdkException e) {
      throw errors.translate("start multipart upload of", name, e);
    }
    try {
      List<byte[]> chunkHashes = new ArrayList<>();
      for (long offset = 0; offset < size; offset += partSize) {
        long length = Math.min(partSize, size - offset);
        TreeHash partHash = TreeHash.ofRange(channel, offset, length);
        chunkHashes.addAll(partHash.chunkHashes());
        long from = offset;
        glacier.uploadMultipartPart(
            b ->
                b.accountId("-")
                    .vaultName(config.vault())
                    .uploadId(uploadId)
                    .checksum(partHash.hex())
                    .range("bytes " + from + "-" + (from + length - 1) + "/*"),
            RequestBody.fromContentProvider(
                () -> range(file, from, length), length, "application/octet-stream"));
        LOG.debug("{}: part at {} of {} stored ({} bytes)", name, offset, size, length);
      }
      // Parts are whole MiBs, so their chunk hashes are the archive's leaves.
      String treeHash = HexFormat.of().formatHex(TreeHash.root(chunkHashes));
      String archiveId =
          glacier
              .completeMultipartUpload(
                  b ->
                      b.accountId("-")
                          .vaultName(config.vault())
                          .uploadId(uploadId)
                          .archiveSize(Long.toString(size))
                          .checksum(treeHash))
              .archiveId();
      return new Uploaded(archiveId, size, treeHash);
    } catch (SdkException e) {
      abort(name, uploadId, e);
      throw errors.translate("upload", name, e);
    } catch (IOException | RuntimeException e) {
      abort(name, uploadId, e);
      throw e;
    }
  }

  private void abort(String name, String uploadId, Exception cause) {
    try {
      glacier.abortMultipartUpload(
          b -> b.accountId("-").vaultName(config.vault()).uploadId(uploadId));
      LOG.warn("{}: multipart upload of {} failed and was aborted", config.description(), name);
    } catch (SdkException e) {
      cause.addSuppressed(e);
      LOG.warn(
          "{}: multipart upload of {} failed and could not be aborted (upload id {}); Glacier"
              + " removes it after 24 hours",
          config.description(),
          name,
          uploadId);
    }
  }

  /** A fresh stream over {@code length} bytes of {@code file} from {@code offset}. */
  private static InputStream range(Path file, long offset, long length) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      channel.position(offset);
      return new BoundedInputStream(Channels.newInputStream(channel), length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
