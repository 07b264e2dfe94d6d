package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.UploadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads one local file as one object: a single PutObject up to the part size, a multipart upload
 * above it. Parts are streamed from disk by at most {@code parallelism} threads, so memory stays
 * bounded by the HTTP client's buffers whatever the file size. Every request carries a CRC32
 * checksum that S3 verifies; the stored size is checked afterwards. A failed multipart upload is
 * aborted, so no parts are left behind (and billed).
 */
final class S3Uploader {
  private static final Logger LOG = LoggerFactory.getLogger(S3Uploader.class);
  private static final int MAX_PARTS = 10_000;

  /** Test seam: called after each part is stored, on the uploading thread. */
  interface PartListener {
    void partUploaded(int partNumber) throws IOException;
  }

  private final S3Client s3;
  private final S3DestinationConfig config;
  private final S3Errors errors;
  private final AtomicInteger threadIds = new AtomicInteger();
  private volatile PartListener partListener = partNumber -> {};

  S3Uploader(S3Client s3, S3DestinationConfig config, S3Errors errors) {
    this.s3 = s3;
    this.config = config;
    this.errors = errors;
  }

  void setPartListener(PartListener listener) {
    this.partListener = listener;
  }

  /**
   * How one object is stored: its storage class (null for the bucket's default) and, with Object
   * Lock, its retain-until date (null for none).
   */
  record Placement(StorageClass storageClass, Instant retainUntil) {}

  /** Stores {@code file} as {@code key}; returns the stored size. */
  long upload(String name, String key, Path file, Map<String, String> metadata, Placement placement)
      throws IOException {
    long size = Files.size(file);
    String etag =
        size <= config.partSizeBytes()
            ? putSingle(name, key, file, size, metadata, placement)
            : putMultipart(name, key, file, size, metadata, placement);
    try {
      return verifySize(name, key, size, etag);
    } catch (IOException e) {
      removeUnverified(key, e);
      throw e;
    }
  }

  /**
   * Removes an object whose size could not be confirmed (best effort): the upload is reported
   * failed, so the object must not stay behind unknown to the status.
   */
  private void removeUnverified(String key, IOException failure) {
    try {
      s3.deleteObject(b -> b.bucket(config.bucket()).key(key));
      LOG.warn("s3://{}/{} was removed: its size could not be confirmed", config.bucket(), key);
    } catch (SdkException e) {
      failure.addSuppressed(e);
    }
  }

  private ObjectLockMode lockMode() {
    return config.objectLock().mode();
  }

  /** A PutObject; returns the stored object's ETag. */
  private String putSingle(
      String name,
      String key,
      Path file,
      long size,
      Map<String, String> metadata,
      Placement placement)
      throws IOException {
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(config.bucket())
            .key(key)
            .contentLength(size)
            .metadata(metadata)
            .storageClass(placement.storageClass())
            .serverSideEncryption(config.serverSideEncryption())
            .ssekmsKeyId(config.kmsKeyId())
            .checksumAlgorithm(ChecksumAlgorithm.CRC32)
            .objectLockMode(placement.retainUntil() == null ? null : lockMode())
            .objectLockRetainUntilDate(placement.retainUntil())
            .build();
    try {
      return s3.putObject(
              request,
              RequestBody.fromContentProvider(
                  () -> openPart(file, 1, 0, size), size, "application/octet-stream"))
          .eTag();
    } catch (SdkException e) {
      throw errors.translate("upload", name, key, e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** A multipart upload, aborted on failure; returns the stored object's ETag. */
  private String putMultipart(
      String name,
      String key,
      Path file,
      long size,
      Map<String, String> metadata,
      Placement placement)
      throws IOException {
    long partSize = partSizeFor(size);
    int parts = (int) ((size + partSize - 1) / partSize);
    String uploadId;
    try {
      uploadId =
          s3.createMultipartUpload(
                  CreateMultipartUploadRequest.builder()
                      .bucket(config.bucket())
                      .key(key)
                      .metadata(metadata)
                      .storageClass(placement.storageClass())
                      .objectLockMode(placement.retainUntil() == null ? null : lockMode())
                      .objectLockRetainUntilDate(placement.retainUntil())
                      .serverSideEncryption(config.serverSideEncryption())
                      .ssekmsKeyId(config.kmsKeyId())
                      .checksumAlgorithm(ChecksumAlgorithm.CRC32)
                      .contentType("application/octet-stream")
                      .build())
              .uploadId();
    } catch (SdkException e) {
      throw errors.translate("upload", name, key, e);
    }
    LOG.debug(
        "uploading {} ({} bytes) to s3://{}/{} in {} parts of {} bytes",
        file,
        size,
        config.bucket(),
        key,
        parts,
        partSize);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(config.parallelism(), parts),
            task -> {
              Thread thread = new Thread(task, "pbk-s3-upload-" + threadIds.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<CompletedPart> completed = uploadParts(pool, key, uploadId, file, size, partSize, parts);
      if (Files.size(file) != size) {
        throw new DestinationException(
            "file "
                + file
                + " changed size while it was uploaded to"
                + " s3://"
                + config.bucket()
                + "/"
                + key);
      }
      return s3.completeMultipartUpload(
              b ->
                  b.bucket(config.bucket())
                      .key(key)
                      .uploadId(uploadId)
                      .multipartUpload(m -> m.parts(completed)))
          .eTag();
    } catch (IOException | RuntimeException e) {
      stop(pool);
      boolean aborted = abort(key, uploadId, e);
      String note =
          aborted
              ? "; the multipart upload was aborted"
              : "; its multipart upload "
                  + uploadId
                  + " could not be aborted: abort it, or add a"
                  + " lifecycle rule for incomplete multipart uploads";
      if (e instanceof PartFailure part) {
        IOException translated =
            errors.translate(
                "upload of part " + part.partNumber + " of " + parts, name, key, part.cause);
        throw new DestinationException(translated.getMessage() + note, part.cause);
      }
      if (e instanceof SdkException sdk) {
        throw new DestinationException(
            errors.translate("upload", name, key, sdk).getMessage() + note, sdk);
      }
      if (e instanceof DestinationException d) {
        throw d;
      }
      throw new DestinationException(
          "upload of "
              + file
              + " to s3://"
              + config.bucket()
              + "/"
              + key
              + " failed and was aborted: "
              + e.getMessage(),
          e);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<CompletedPart> uploadParts(
      ExecutorService pool,
      String key,
      String uploadId,
      Path file,
      long size,
      long partSize,
      int parts)
      throws IOException {
    ExecutorCompletionService<CompletedPart> service = new ExecutorCompletionService<>(pool);
    for (int i = 0; i < parts; i++) {
      int partNumber = i + 1;
      long offset = i * partSize;
      long length = Math.min(partSize, size - offset);
      service.submit(() -> uploadPart(key, uploadId, file, partNumber, offset, length));
    }
    List<CompletedPart> completed = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) {
      try {
        completed.add(service.take().get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DestinationException(
            "upload to s3://" + config.bucket() + "/" + key + " was interrupted", e);
      } catch (ExecutionException e) {
        Throwable cause =
            e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        throw new DestinationException("part upload failed: " + cause, cause);
      }
    }
    completed.sort(Comparator.comparing(CompletedPart::partNumber));
    return completed;
  }

  private CompletedPart uploadPart(
      String key, String uploadId, Path file, int partNumber, long offset, long length)
      throws IOException {
    UploadPartResponse response;
    try {
      response =
          s3.uploadPart(
              b ->
                  b.bucket(config.bucket())
                      .key(key)
                      .uploadId(uploadId)
                      .partNumber(partNumber)
                      .contentLength(length)
                      .checksumAlgorithm(ChecksumAlgorithm.CRC32),
              RequestBody.fromContentProvider(
                  () -> openPart(file, partNumber, offset, length),
                  length,
                  "application/octet-stream"));
    } catch (SdkException e) {
      throw new PartFailure(partNumber, e);
    }
    partListener.partUploaded(partNumber);
    return CompletedPart.builder()
        .partNumber(partNumber)
        .eTag(response.eTag())
        .checksumCRC32(response.checksumCRC32())
        .build();
  }

  private static FilePartStream openPart(Path file, int partNumber, long offset, long length) {
    try {
      return new FilePartStream(file, partNumber, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The configured part size, raised when needed to stay within S3's 10,000 parts. */
  private long partSizeFor(long size) {
    long minimum = (size + MAX_PARTS - 1) / MAX_PARTS;
    return Math.max(config.partSizeBytes(), minimum);
  }

  /** Waits briefly for running parts, so that none lands after the abort. */
  private static void stop(ExecutorService pool) {
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Aborts the upload; returns whether S3 accepted the abort. */
  private boolean abort(String key, String uploadId, Exception failure) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId));
      LOG.warn("upload to s3://{}/{} failed; multipart upload aborted", config.bucket(), key);
      return true;
    } catch (SdkException | CancellationException e) {
      // Parts left behind cost money until a lifecycle rule removes them: say so.
      LOG.error(
          "upload to s3://{}/{} failed and its multipart upload {} could not be aborted;"
              + " abort it or add a lifecycle rule for incomplete multipart uploads",
          config.bucket(),
          key,
          uploadId,
          e);
      failure.addSuppressed(e);
      return false;
    }
  }

  /** A part's request failed after the SDK's retries. */
  private static final class PartFailure extends RuntimeException {
    final int partNumber;
    final SdkException cause;

    PartFailure(int partNumber, SdkException cause) {
      super("part " + partNumber + ": " + cause.getMessage(), cause, false, false);
      this.partNumber = partNumber;
      this.cause = cause;
    }
  }

  /**
   * Checks the size of the object this upload stored, named by its ETag: another upload to the same
   * key may have replaced it since (last writer wins), and that object's size says nothing about
   * this one. A replaced object answers 412 to {@code If-Match}; it was stored whole (S3
   * acknowledged it with its checksum), so the upload succeeded.
   */
  private long verifySize(String name, String key, long expected, String etag) throws IOException {
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> b.bucket(config.bucket()).key(key).ifMatch(etag));
    } catch (S3Exception e) {
      if (etag != null && e.statusCode() == 412) {
        LOG.debug(
            "s3://{}/{} was replaced by another upload before its size was checked",
            config.bucket(),
            key);
        return expected;
      }
      throw errors.translate("size check after upload", name, key, e);
    } catch (SdkException e) {
      throw errors.translate("size check after upload", name, key, e);
    }
    if (head.contentLength() == null || head.contentLength() != expected) {
      throw new DestinationException(
          "s3://"
              + config.bucket()
              + "/"
              + key
              + " holds "
              + head.contentLength()
              + " bytes after the upload, expected "
              + expected);
    }
    return expected;
  }

  /** S3 user metadata must be ASCII: other values are percent-encoded (UTF-8). */
  static Map<String, String> userMetadata(UploadMetadata metadata) {
    Map<String, String> out = new LinkedHashMap<>();
    if (metadata != null) {
      out.put("database", ascii(metadata.database()));
      out.put("backup-type", metadata.type().name());
      out.put("from-etag", Long.toString(metadata.fromEtag()));
      out.put("to-etag", Long.toString(metadata.toEtag()));
      out.put("sha256", metadata.sha256());
    }
    return out;
  }

  private static String ascii(String value) {
    return value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
        ? value
        : URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
