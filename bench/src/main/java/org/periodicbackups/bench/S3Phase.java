package org.periodicbackups.bench;

import static org.periodicbackups.bench.E2EReport.MIB;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.aws.AwsClientConfig;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.dump.DumpCompression;
import org.periodicbackups.destination.filesystem.FilesystemDestinationProvider;
import org.periodicbackups.destination.s3.S3Destination;
import org.periodicbackups.destination.s3.S3DestinationConfig;
import org.periodicbackups.destination.s3.S3DestinationProvider;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Full backups to an embedded S3Proxy, each next to a plain SDK multipart upload of the same bytes
 * to it: the limit the destination's upload is compared with. Holds the proxy, a backup engine that
 * knows the S3 destination, and its timing; both upload paths are warmed up once when it starts.
 */
final class S3Phase implements AutoCloseable {
  static final String BUCKET = "bench";
  private final E2EReport report;
  private final BenchS3Proxy proxy;
  private final ExportTimer timing = new ExportTimer();
  private final BackupEngine engine;
  private final long partSize = S3DestinationConfig.DEFAULT_PART_SIZE;

  S3Phase(BenchS3Proxy proxy, Path work, E2EReport report) throws Exception {
    this.proxy = proxy;
    this.report = report;
    // Warm-up (not counted): the destination's and the plain SDK's upload paths, 3 parts.
    Path warm = work.resolve("s3-warm-up.bin");
    S3UploadBenchmark.writeRandomFile(warm, 3 * partSize);
    try (S3Client client = proxy.client();
        S3Destination destination =
            S3Destination.builder()
                .bucket(BUCKET)
                .prefix("warm-up")
                .aws(
                    a ->
                        a.endpoint(proxy.endpoint)
                            .credentials(BenchS3Proxy.ACCESS, BenchS3Proxy.SECRET))
                .build()) {
      client.createBucket(b -> b.bucket(BUCKET));
      destination.upload(
          "warm-up.bin", warm, new UploadMetadata("bench", BackupType.FULL, 0, 1, "0".repeat(64)));
      S3UploadBenchmark.plainMultipart(client, BUCKET, warm, "warm-up/plain.bin", partSize);
    } finally {
      Files.delete(warm);
    }
    engine =
        new BackupEngine(
            new DestinationResolver(
                DestinationRegistry.of(
                    List.of(new FilesystemDestinationProvider(), new S3DestinationProvider()))),
            work.resolve("engine-work-s3"),
            Clock.systemUTC(),
            timing);
  }

  /**
   * A full backup to the embedded S3Proxy (export, multipart upload, status), then a plain SDK
   * multipart upload of {@code sameFile}, the filesystem full backup of the same codec (same size,
   * same part size), to the same server.
   *
   * @param alone the codec alone's time on the same bytes
   */
  void full(
      SqliteDatabase db,
      Path sameFile,
      DumpCompression compression,
      String name,
      long rawBytes,
      long alone)
      throws Exception {
    db.putSetting(AwsClientConfig.ACCESS_KEY_SETTING, BenchS3Proxy.ACCESS);
    db.putSecuredSetting(AwsClientConfig.SECRET_KEY_SETTING, BenchS3Proxy.SECRET);
    db.putSystemDocument(
        SystemDocuments.SETUP_KEY,
        "{\"S3BucketName\":\""
            + BUCKET
            + "\",\"S3RemoteFolderName\":\"engine\",\"Destinations\":{\"s3\":{\"Endpoint\":\""
            + proxy.endpoint
            + "\",\"PathStyle\":\"true\"}},\"Compression\":\""
            + compression.codec().codecName()
            + "\",\"CompressionLevel\":"
            + compression.level()
            + "}");
    report.startPhase();
    timing.reset();
    long start = System.nanoTime();
    BackupRecord full = engine.run(db, new BackupRequest(true, false)).backup().orElseThrow();
    long nanos = System.nanoTime() - start;
    long upload = nanos - (timing.lastExport - start);
    report.add(
        "full backup to S3Proxy " + name,
        nanos,
        rawBytes / MIB,
        full.size(),
        String.format(
            Locale.ROOT,
            "codec alone / full = %.2f; after export %.2f s (%.1f MiB/s)",
            (double) alone / nanos,
            upload / 1e9,
            full.size() / MIB / (upload / 1e9)));
    report.startPhase();
    start = System.nanoTime();
    try (S3Client client = proxy.client()) {
      S3UploadBenchmark.plainMultipart(
          client, BUCKET, sameFile, "plain/" + full.fileName(), partSize);
    }
    long plain = System.nanoTime() - start;
    report.add(
        "plain SDK multipart upload, same size",
        plain,
        0,
        Files.size(sameFile),
        String.format(
            Locale.ROOT,
            "%.1f MiB/s; its time / upload after export = %.2f",
            Files.size(sameFile) / MIB / (plain / 1e9),
            (double) plain / upload));
    report.target(
        String.format(
            Locale.ROOT,
            "S3 upload >= 0.9 x plain SDK multipart (%s): %.2f" + " -> %s",
            name,
            (double) plain / upload,
            plain >= 0.9 * upload ? "MET" : "MISSED"));
  }

  @Override
  public void close() throws Exception {
    proxy.close();
  }
}
