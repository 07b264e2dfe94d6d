package org.periodicbackups.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationOptions;

class AwsClientConfigTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private static AwsClientConfig read(Map<String, String> options, Map<String, String> settings)
      throws IOException {
    PeriodicBackupSetup setup =
        PeriodicBackupSetup.builder()
            .s3BucketName("b")
            .awsRegionEndpoint("eu-west-1")
            .destination("s3", options)
            .build();
    DestinationContext context =
        new DestinationContext("shop", setup, name -> Optional.ofNullable(settings.get(name)));
    DestinationOptions parsed = DestinationOptions.of(setup, "s3", AwsClientConfig.OPTIONS);
    AwsClientConfig.Builder builder = AwsClientConfig.read(context, parsed);
    parsed.check();
    return builder.build();
  }

  @Test
  @DisplayName("no options give the defaults: the setup's region, the default chain, 5 attempts")
  void defaults() throws IOException {
    AwsClientConfig config = read(Map.of(), Map.of());

    assertThat(config.region()).isEqualTo("eu-west-1");
    assertThat(config.endpoint()).isNull();
    assertThat(config.credentials()).isNull();
    assertThat(config.credentialsSource()).isEqualTo("default chain");
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.retryMode()).isEqualTo(AwsClientConfig.RetryMode.STANDARD);
    assertThat(config.attemptTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.callTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(config.endpointText()).isEqualTo("of region eu-west-1");
  }

  @Test
  @DisplayName("every shared option and both credential settings map to the configuration")
  void fullMapping() throws IOException {
    AwsClientConfig config =
        read(
            Map.of(
                "Endpoint",
                "http://127.0.0.1:9000",
                "MaxAttempts",
                "7",
                "RetryMode",
                "Adaptive",
                "AttemptTimeoutSeconds",
                "20",
                "CallTimeoutSeconds",
                "90"),
            Map.of("Raven/AWSAccessKey", "AKIAEXAMPLE", "Raven/AWSSecretKey", SECRET));

    assertThat(config.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(config.maxAttempts()).isEqualTo(7);
    assertThat(config.retryMode()).isEqualTo(AwsClientConfig.RetryMode.ADAPTIVE);
    assertThat(config.attemptTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.callTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.staticCredentials()).isTrue();
    assertThat(config.credentials().resolveCredentials().accessKeyId()).isEqualTo("AKIAEXAMPLE");
    assertThat(config.credentialsSource()).isEqualTo("Raven/AWSAccessKey");
    assertThat(config.toString())
        .contains("credentials=Raven/AWSAccessKey")
        .doesNotContain(SECRET)
        .doesNotContain("AKIAEXAMPLE");
  }

  @Test
  @DisplayName("options that do not parse are named with their value and the rule")
  void unparsableOptions() {
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "Endpoint",
                        "not a url",
                        "RetryMode",
                        "eager",
                        "MaxAttempts",
                        "many",
                        "CallTimeoutSeconds",
                        "1h"),
                    Map.of()))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "Destinations.s3.Endpoint: 'not a url' is not valid; expected an absolute URL"
                            + " such as http://127.0.0.1:9000",
                        "Destinations.s3.MaxAttempts: 'many' is not valid; expected a whole number from"
                            + " 1 to 20",
                        "Destinations.s3.RetryMode: 'eager' is not valid; expected standard or adaptive",
                        "Destinations.s3.CallTimeoutSeconds: '1h' is not valid; expected a whole"
                            + " number"));
  }

  @Test
  @DisplayName("out-of-range values are all reported by the record")
  void outOfRangeValues() {
    assertThatThrownBy(
            () ->
                AwsClientConfig.builder()
                    .region("EU")
                    .maxAttempts(0)
                    .endpoint(URI.create("relative/path"))
                    .timeouts(Duration.ofSeconds(120), Duration.ofSeconds(60))
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "AwsRegionEndpoint: 'EU' is not an AWS region name such as us-east-1",
                        "Endpoint: 'relative/path' is not an absolute URL such as http://127.0.0.1:9000",
                        "MaxAttempts: 0 must be between 1 and 20",
                        "CallTimeoutSeconds: 60 is shorter than AttemptTimeoutSeconds 120; a request"
                            + " must be allowed at least one whole attempt"));
    assertThatThrownBy(
            () -> AwsClientConfig.builder().timeouts(Duration.ZERO, Duration.ofDays(2)).build())
        .hasMessageContaining("AttemptTimeoutSeconds: 0 must be between 1 and 86400")
        .hasMessageContaining("CallTimeoutSeconds: 172800 must be between 1 and 86400");
  }

  @Test
  @DisplayName("one credential setting without the other is an error naming both, not the secret")
  void halfTheCredentials() {
    assertThatThrownBy(() -> read(Map.of(), Map.of("Raven/AWSSecretKey", SECRET)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "database shop: Raven/AWSSecretKey is set but Raven/AWSAccessKey is not;"
                + " set both, or neither to use the AWS default credentials chain");
    assertThatThrownBy(() -> read(Map.of(), Map.of("Raven/AWSAccessKey", "AKIA")))
        .hasMessageStartingWith(
            "database shop: Raven/AWSAccessKey is set but Raven/AWSSecretKey" + " is not");
  }

  @Test
  @DisplayName("buildInto reports the problems of the AWS settings and the destination's together")
  void buildIntoReportsBoth() {
    assertThatThrownBy(
            () ->
                AwsClientConfig.builder()
                    .maxAttempts(99)
                    .buildInto(
                        aws -> {
                          throw new ConfigurationException(
                              List.of("PartSizeMiB: 1 MiB is not allowed"));
                        }))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "MaxAttempts: 99 must be between 1 and 20",
                        "PartSizeMiB: 1 MiB is not allowed"));
    assertThat(AwsClientConfig.builder().region("ap-south-1").buildInto(AwsClientConfig::region))
        .isEqualTo("ap-south-1");
  }
}
