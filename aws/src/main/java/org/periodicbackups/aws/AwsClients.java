package org.periodicbackups.aws;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;

/** Builds the SDK clients of the AWS destinations the same way from an {@link AwsClientConfig}. */
public final class AwsClients {
  /** How long a new connection may take to open. */
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  /** How long a read may wait for the next bytes of an answer. */
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private AwsClients() {}

  /**
   * Applies {@code config} to an SDK client builder: region, credentials (the default chain when
   * none are given), the Apache HTTP client with {@code maxConnections}, the retry strategy with
   * its attempts, the attempt and call timeouts, and the endpoint override.
   *
   * <p>The HTTP client is named here: with several on the classpath the SDK's pick is arbitrary.
   */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
      B builder, AwsClientConfig config, int maxConnections) {
    builder
        .region(Region.of(config.region()))
        .credentialsProvider(
            config.credentials() != null
                ? config.credentials()
                : DefaultCredentialsProvider.builder().build())
        .overrideConfiguration(
            o ->
                o.retryStrategy(retryStrategy(config))
                    .apiCallAttemptTimeout(config.attemptTimeout())
                    .apiCallTimeout(config.callTimeout()));
    builder.httpClientBuilder(
        ApacheHttpClient.builder()
            .maxConnections(maxConnections)
            .connectionTimeout(CONNECTION_TIMEOUT)
            .socketTimeout(SOCKET_TIMEOUT));
    if (config.endpoint() != null) {
      builder.endpointOverride(config.endpoint());
    }
    return builder;
  }

  private static RetryStrategy retryStrategy(AwsClientConfig config) {
    return switch (config.retryMode()) {
      case STANDARD ->
          AwsRetryStrategy.standardRetryStrategy().toBuilder()
              .maxAttempts(config.maxAttempts())
              .build();
      case ADAPTIVE ->
          AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
              .maxAttempts(config.maxAttempts())
              .build();
    };
  }
}
