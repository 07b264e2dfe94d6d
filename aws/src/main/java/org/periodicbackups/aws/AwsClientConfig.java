package org.periodicbackups.aws;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * How an AWS client of a destination connects: region ({@code AwsRegionEndpoint}), endpoint
 * override, credentials, retries and timeouts. Validated together; {@link #toString()} names where
 * the credentials come from, never their values.
 *
 * @param region the AWS region, such as {@code us-east-1}
 * @param endpoint an endpoint override (an S3-compatible store, moto), or null for AWS
 * @param credentials fixed credentials, or null for the AWS default credentials chain
 * @param maxAttempts attempts per request, retries of throttling, 5xx and network errors included
 * @param retryMode how retries wait
 * @param attemptTimeout the longest one attempt of a request may take; an attempt that runs longer
 *     is abandoned and retried
 * @param callTimeout the longest one request may take, all its attempts and waits included
 */
public record AwsClientConfig(
    String region,
    URI endpoint,
    AwsCredentialsProvider credentials,
    int maxAttempts,
    RetryMode retryMode,
    Duration attemptTimeout,
    Duration callTimeout) {

  /** The database setting with the access key id. */
  public static final String ACCESS_KEY_SETTING = "Raven/AWSAccessKey";

  /** The (secured) database setting with the secret access key. */
  public static final String SECRET_KEY_SETTING = "Raven/AWSSecretKey";

  /** The {@code Destinations.<provider>} options read by {@link #readOptions}. */
  public static final List<String> OPTIONS =
      List.of(
          "Endpoint", "MaxAttempts", "RetryMode", "AttemptTimeoutSeconds", "CallTimeoutSeconds");

  /** The default attempts per request. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** The default attempt timeout, 10 minutes: one 16 MiB part at about 0.25 Mbit/s. */
  public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofMinutes(10);

  /** The default call timeout, 1 hour. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofHours(1);

  /** The longest timeout accepted, one day. */
  private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

  /** How the client waits between attempts of a request. */
  public enum RetryMode {
    /** Exponential backoff with jitter (longer after throttling answers): the SDK's standard. */
    STANDARD,
    /** Standard, and the client also sends more slowly while the service throttles it. */
    ADAPTIVE
  }

  /** Reports every invalid value at once, named by its setup field or option. */
  public AwsClientConfig {
    List<String> problems = new ArrayList<>();
    if (region == null || !region.matches("[a-z0-9-]+")) {
      problems.add(
          "AwsRegionEndpoint: '" + region + "' is not an AWS region name such as" + " us-east-1");
    }
    if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
      problems.add(
          "Endpoint: '" + endpoint + "' is not an absolute URL such as" + " http://127.0.0.1:9000");
    }
    if (maxAttempts < 1 || maxAttempts > 20) {
      problems.add("MaxAttempts: " + maxAttempts + " must be between 1 and 20");
    }
    requireNonNull(retryMode, "retryMode is null");
    requireNonNull(attemptTimeout, "attemptTimeout is null");
    requireNonNull(callTimeout, "callTimeout is null");
    if (outOfRange(attemptTimeout)) {
      problems.add(
          "AttemptTimeoutSeconds: "
              + attemptTimeout.toSeconds()
              + " must be between 1"
              + " and "
              + MAX_TIMEOUT.toSeconds());
    }
    if (outOfRange(callTimeout)) {
      problems.add(
          "CallTimeoutSeconds: "
              + callTimeout.toSeconds()
              + " must be between 1 and "
              + MAX_TIMEOUT.toSeconds());
    } else if (callTimeout.compareTo(attemptTimeout) < 0) {
      problems.add(
          "CallTimeoutSeconds: "
              + callTimeout.toSeconds()
              + " is shorter than"
              + " AttemptTimeoutSeconds "
              + attemptTimeout.toSeconds()
              + "; a request must be"
              + " allowed at least one whole attempt");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /** A builder with the defaults: region us-east-1, the default chain, 5 attempts. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Applies the shared options of {@code options} ({@link #OPTIONS}) to {@code builder}; invalid
   * values become problems of {@code options}.
   */
  public static void readOptions(DestinationOptions options, Builder builder) {
    options
        .parse(
            "Endpoint",
            "an absolute URL such as http://127.0.0.1:9000",
            v -> {
              URI uri = new URI(v);
              if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("not absolute");
              }
              return uri;
            })
        .ifPresent(builder::endpoint);
    options
        .parse("MaxAttempts", "a whole number from 1 to 20", Integer::parseInt)
        .ifPresent(builder::maxAttempts);
    options
        .parse(
            "RetryMode", "standard or adaptive", v -> RetryMode.valueOf(v.toUpperCase(Locale.ROOT)))
        .ifPresent(builder::retryMode);
    builder.timeouts(
        Duration.ofSeconds(
            options.wholeNumber("AttemptTimeoutSeconds", DEFAULT_ATTEMPT_TIMEOUT.toSeconds())),
        Duration.ofSeconds(
            options.wholeNumber("CallTimeoutSeconds", DEFAULT_CALL_TIMEOUT.toSeconds())));
  }

  /** {@link #OPTIONS} followed by a destination's {@code own} option names. */
  public static List<String> optionsWith(List<String> own) {
    List<String> names = new ArrayList<>(OPTIONS);
    names.addAll(own);
    return List.copyOf(names);
  }

  /**
   * A builder with the region of the context's setup, the shared options of its {@code
   * Destinations.<provider>} entry (invalid ones become problems of {@code options}) and the
   * credentials of the database's settings.
   *
   * @throws ConfigurationException when only one of the two credential settings is set
   */
  public static Builder read(DestinationContext context, DestinationOptions options)
      throws IOException {
    Builder builder = builder().region(context.setup().awsRegionEndpoint());
    readOptions(options, builder);
    Optional<String> accessKey = context.setting(ACCESS_KEY_SETTING).filter(s -> !s.isBlank());
    Optional<String> secretKey = context.setting(SECRET_KEY_SETTING).filter(s -> !s.isBlank());
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new ConfigurationException(
          "database "
              + context.databaseName()
              + ": "
              + (accessKey.isPresent() ? ACCESS_KEY_SETTING : SECRET_KEY_SETTING)
              + " is set but "
              + (accessKey.isPresent() ? SECRET_KEY_SETTING : ACCESS_KEY_SETTING)
              + " is not; set"
              + " both, or neither to use the AWS default credentials chain");
    }
    if (accessKey.isPresent()) {
      builder.credentials(accessKey.get().strip(), secretKey.get().strip());
    }
    return builder;
  }

  /** Whether fixed credentials were given (rather than the default chain). */
  public boolean staticCredentials() {
    return credentials instanceof StaticCredentialsProvider;
  }

  /** {@code Raven/AWSAccessKey} for fixed credentials, else {@code default chain}. */
  public String credentialsSource() {
    return credentials == null
        ? "default chain"
        : staticCredentials() ? ACCESS_KEY_SETTING : credentials.getClass().getSimpleName();
  }

  /** {@code the endpoint http://…}, or {@code the endpoint of region …} for AWS. */
  public String endpointText() {
    return endpoint == null ? "of region " + region : endpoint.toString();
  }

  @Override
  public String toString() {
    return "AwsClientConfig[region="
        + region
        + (endpoint == null ? "" : ", endpoint=" + endpoint)
        + ", credentials="
        + credentialsSource()
        + ", maxAttempts="
        + maxAttempts
        + ", retryMode="
        + retryMode
        + ", attemptTimeout="
        + attemptTimeout
        + ", callTimeout="
        + callTimeout
        + "]";
  }

  private static boolean outOfRange(Duration timeout) {
    return timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0;
  }

  /** Configures an {@link AwsClientConfig}; values are validated together in {@link #build()}. */
  public static final class Builder {
    private String region = PeriodicBackupSetup.DEFAULT_AWS_REGION;
    private URI endpoint;
    private AwsCredentialsProvider credentials;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private RetryMode retryMode = RetryMode.STANDARD;
    private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;

    private Builder() {}

    /** The region ({@code AwsRegionEndpoint}), default {@code us-east-1}. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Another endpoint than AWS's (an S3-compatible store, moto); null for AWS. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** Where credentials come from; default: the AWS default credentials chain. */
    public Builder credentialsProvider(AwsCredentialsProvider credentials) {
      this.credentials = requireNonNull(credentials, "credentials is null");
      return this;
    }

    /** Fixed credentials ({@code Raven/AWSAccessKey}, {@code Raven/AWSSecretKey}). */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      requireNonNull(accessKeyId, "accessKeyId is null");
      requireNonNull(secretAccessKey, "secretAccessKey is null");
      this.credentials =
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(accessKeyId, secretAccessKey));
      return this;
    }

    /** Attempts per request (throttling, 5xx and network errors are retried), default 5. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** How retries wait: {@code STANDARD} (default) or {@code ADAPTIVE}. */
    public Builder retryMode(RetryMode retryMode) {
      this.retryMode = retryMode;
      return this;
    }

    /**
     * The longest one attempt of a request may take (default 10 minutes; it must cover one part at
     * the slowest expected speed), and one request with all its attempts (default 1 hour).
     */
    public Builder timeouts(Duration attempt, Duration call) {
      this.attemptTimeout = attempt;
      this.callTimeout = call;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws ConfigurationException listing every invalid value
     */
    public AwsClientConfig build() {
      return new AwsClientConfig(
          region, endpoint, credentials, maxAttempts, retryMode, attemptTimeout, callTimeout);
    }

    /**
     * The configuration of a destination that holds this one: {@code next} applied to it, with the
     * problems of both reported at once.
     *
     * @throws ConfigurationException listing every invalid value of both
     */
    public <T> T buildInto(Function<AwsClientConfig, T> next) {
      List<String> problems = new ArrayList<>();
      AwsClientConfig built;
      try {
        built = build();
      } catch (ConfigurationException e) {
        problems.addAll(e.problems());
        built = builder().build(); // the defaults, only to check the rest
      }
      try {
        T result = next.apply(built);
        if (problems.isEmpty()) {
          return result;
        }
      } catch (ConfigurationException e) {
        problems.addAll(e.problems());
      }
      throw new ConfigurationException(problems);
    }
  }
}
