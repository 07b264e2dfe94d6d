package org.periodicbackups.bench;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.destination.s3.S3Destination;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Upload throughput of {@link S3Destination} against plain AWS SDK uploads of the same file to the
 * same server (an S3Proxy in this JVM with a filesystem store, on loopback), in one run:
 *
 * <ol>
 *   <li>the destination (multipart, its default part size and parallelism);
 *   <li>plain SDK multipart, same part size, parts one after another from file ranges;
 *   <li>plain SDK single {@code PutObject} of the whole file.
 * </ol>
 *
 * <p>Arguments: {@code <size MiB> <rounds> <work folder>}. Incompressible data from a fixed seed.
 * Prints one line per upload and the median MiB/s of each method.
 */
public final class S3UploadBenchmark {
  private static final String ACCESS = BenchS3Proxy.ACCESS;
  private static final String SECRET = BenchS3Proxy.SECRET;
  private static final String BUCKET = "bench";

  private S3UploadBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    long sizeMiB = args.length > 0 ? Long.parseLong(args[0]) : 256;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "bench-work"));
    Path file = work.resolve("upload.bin");
    writeRandomFile(file, sizeMiB << 20);
    BenchS3Proxy proxy = new BenchS3Proxy(work.resolve("s3proxy-store"));
    URI endpoint = proxy.endpoint;
    try (S3Client s3 = proxy.client();
        S3Destination destination =
            S3Destination.builder()
                .bucket(BUCKET)
                .prefix("dest")
                .aws(a -> a.endpoint(endpoint).credentials(ACCESS, SECRET))
                .build()) {
      s3.createBucket(b -> b.bucket(BUCKET));
      long partSize = destination.config().partSizeBytes();
      int parallelism = destination.config().parallelism();
      System.out.printf(
          "file %d MiB, part size %d MiB, destination parallelism %d, %d rounds,"
              + " %d cores, java %s%n",
          sizeMiB,
          partSize >> 20,
          parallelism,
          rounds,
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"));
      UploadMetadata metadata = new UploadMetadata("bench", BackupType.FULL, 0, 1, "0".repeat(64));
      List<Double> ours = new ArrayList<>();
      List<Double> plainMultipart = new ArrayList<>();
      List<Double> plainPut = new ArrayList<>();
      // Round 0 warms up the JIT, the connection pools and S3Proxy; it is not counted.
      for (int round = 0; round <= rounds; round++) {
        System.out.println(round == 0 ? "warm-up round (not counted):" : "round " + round + ":");
        double[] speeds = round(s3, destination, file, partSize, metadata);
        if (round > 0) {
          ours.add(speeds[0]);
          plainMultipart.add(speeds[1]);
          plainPut.add(speeds[2]);
        }
      }
      double o = median(ours);
      double m = median(plainMultipart);
      double p = median(plainPut);
      System.out.printf(
          "median MiB/s: destination %.1f, sdk multipart %.1f, sdk putObject %.1f;"
              + " destination / sdk multipart = %.2f, destination / sdk putObject = %.2f%n",
          o, m, p, o / m, o / p);
    } finally {
      proxy.close();
      Files.deleteIfExists(file);
    }
  }

  /** One upload of each kind; MiB/s of the destination, SDK multipart, SDK putObject. */
  private static double[] round(
      S3Client s3, S3Destination destination, Path file, long partSize, UploadMetadata metadata)
      throws Exception {
    double ours =
        timed(
            "destination",
            file,
            () -> destination.upload("round-" + System.nanoTime(), file, metadata));
    double multipart =
        timed(
            "sdk multipart",
            file,
            () -> plainMultipart(s3, BUCKET, file, "plain-mp-" + System.nanoTime(), partSize));
    double put =
        timed(
            "sdk putObject",
            file,
            () ->
                s3.putObject(
                    b -> b.bucket(BUCKET).key("plain-put-" + System.nanoTime()),
                    RequestBody.fromFile(file)));
    clear(s3);
    return new double[] {ours, multipart, put};
  }

  private interface Upload {
    void run() throws Exception;
  }

  private static double timed(String what, Path file, Upload upload) throws Exception {
    long start = System.nanoTime();
    upload.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    double mib = Files.size(file) / (double) (1 << 20);
    System.out.printf("%-14s %8.2f s %8.1f MiB/s%n", what, seconds, mib / seconds);
    return mib / seconds;
  }

  /** The SDK's multipart API used directly: same part size, one part after another. */
  static void plainMultipart(S3Client s3, String bucket, Path file, String key, long partSize)
      throws IOException {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    long size = Files.size(file);
    List<CompletedPart> parts = new ArrayList<>();
    int number = 1;
    for (long offset = 0; offset < size; offset += partSize, number++) {
      long length = Math.min(partSize, size - offset);
      long from = offset;
      int partNumber = number;
      String etag =
          s3.uploadPart(
                  b ->
                      b.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .partNumber(partNumber)
                          .contentLength(length),
                  RequestBody.fromContentProvider(
                      () -> range(file, from, length), length, "application/octet-stream"))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
    }
    s3.completeMultipartUpload(
        b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(u -> u.parts(parts)));
  }

  /** Bytes {@code from} … {@code from + length} of {@code file}; a fresh stream per call. */
  private static InputStream range(Path file, long from, long length) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(from);
      InputStream whole = Channels.newInputStream(channel);
      return new BufferedInputStream(
          new FilterInputStream(whole) {
            private long left = length;

            @Override
            public int read() throws IOException {
              if (left <= 0) {
                return -1;
              }
              int b = super.read();
              left -= b < 0 ? 0 : 1;
              return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) throws IOException {
              if (left <= 0) {
                return -1;
              }
              int n = super.read(buffer, offset, (int) Math.min(count, left));
              left -= Math.max(n, 0);
              return n;
            }
          },
          1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void clear(S3Client s3) {
    s3.listObjectsV2Paginator(b -> b.bucket(BUCKET))
        .contents()
        .forEach(o -> s3.deleteObject(b -> b.bucket(BUCKET).key(o.key())));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static void writeRandomFile(Path file, long size) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    byte[] block = new byte[1 << 20];
    try (var out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
  }
}
