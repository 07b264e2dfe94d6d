package org.periodicbackups.destination.s3;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.aws.AwsClientConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An S3-compatible service the tests talk to, with a bucket already created. */
public record S3Target(URI endpoint, String accessKey, String secretKey, String bucket) {

  /** A destination builder for this target; tests add a prefix and options. */
  public S3Destination.Builder builder() {
    return S3Destination.builder()
        .bucket(bucket)
        .aws(a -> a.endpoint(endpoint).credentials(accessKey, secretKey).maxAttempts(2));
  }

  /**
   * The setup document for this target with key prefix {@code folder}, as a user writes it: {@code
   * S3BucketName}, {@code S3RemoteFolderName} and {@code Destinations.s3.Endpoint}.
   */
  public PeriodicBackupSetup setup(String folder) {
    return PeriodicBackupSetup.builder()
        .s3BucketName(bucket)
        .s3RemoteFolderName(folder)
        .destination(BuiltInDestinations.S3, Map.of("Endpoint", endpoint.toString()))
        .build();
  }

  /** A context for {@code setup} whose settings hold this target's credentials. */
  public DestinationContext context(PeriodicBackupSetup setup) {
    Map<String, String> settings =
        Map.of(
            AwsClientConfig.ACCESS_KEY_SETTING,
            accessKey,
            AwsClientConfig.SECRET_KEY_SETTING,
            secretKey);
    return new DestinationContext("tck", setup, name -> Optional.ofNullable(settings.get(name)));
  }

  /** A plain SDK client, to look behind the destination's back. */
  public S3Client rawClient() {
    return S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  /** Creates the bucket unless it exists. */
  public S3Target withBucket() {
    try (S3Client s3 = rawClient()) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
        s3.createBucket(b -> b.bucket(bucket));
      }
    }
    return this;
  }
}
