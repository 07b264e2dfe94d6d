package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

class GlacierDestinationProviderTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET";

  @Test
  @DisplayName("ServiceLoader finds the provider by the name glacier")
  void serviceLoaderFindsGlacier() {
    assertThat(
            ServiceLoader.load(DestinationProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("glacier"))
                .toList())
        .singleElement()
        .isInstanceOf(GlacierDestinationProvider.class);
  }

  @Test
  @DisplayName("the first rung of the precedence rule: Glacier wins over S3")
  void precedence() {
    GlacierDestinationProvider provider = new GlacierDestinationProvider();
    assertThat(provider.precedence())
        .isEqualTo(DestinationProvider.GLACIER_PRECEDENCE)
        .isGreaterThan(DestinationProvider.S3_PRECEDENCE);
    assertThat(provider.configuredBy()).isEqualTo("GlacierVaultName");
    assertThat(provider.keepsCopy()).isFalse();
  }

  @Test
  @DisplayName("Glacier has the shared AWS retry and timeout options, validated the same way")
  void sharedAwsOptions() throws Exception {
    Map<String, String> options =
        Map.of(
            "MaxAttempts",
            "9",
            "RetryMode",
            "adaptive",
            "AttemptTimeoutSeconds",
            "30",
            "CallTimeoutSeconds",
            "600");
    try (GlacierDestination glacier = create(setup("vault", options), Map.of())) {
      assertThat(glacier.config().aws().maxAttempts()).isEqualTo(9);
      assertThat(glacier.config().aws().retryMode())
          .isEqualTo(org.periodicbackups.aws.AwsClientConfig.RetryMode.ADAPTIVE);
      assertThat(glacier.config().aws().attemptTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(glacier.config().aws().callTimeout()).isEqualTo(Duration.ofMinutes(10));
    }
    assertThatThrownBy(() -> create(setup("vault", Map.of("MaxAttempts", "0")), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("MaxAttempts: 0 must be between 1 and 20");
  }

  @Test
  @DisplayName("configured exactly when GlacierVaultName is set")
  void configuredByVaultName() {
    GlacierDestinationProvider provider = new GlacierDestinationProvider();
    assertThat(provider.isConfiguredBy(PeriodicBackupSetup.empty())).isFalse();
    assertThat(provider.isConfiguredBy(setup("v", Map.of()))).isTrue();
  }

  @Test
  @DisplayName("defaults: Standard tier, 8 MiB parts, 12 h timeouts, 60 s polls, us-east-1")
  void defaults() throws Exception {
    try (GlacierDestination glacier = create(setup("vault", Map.of()), Map.of())) {
      GlacierDestinationConfig config = glacier.config();
      assertThat(config.retrievalTier()).isEqualTo(RetrievalTier.STANDARD);
      assertThat(config.partSizeBytes()).isEqualTo(8L * 1024 * 1024);
      assertThat(config.retrievalTimeout()).isEqualTo(Duration.ofHours(12));
      assertThat(config.inventoryTimeout()).isEqualTo(Duration.ofHours(12));
      assertThat(config.poll()).isEqualTo(Duration.ofSeconds(60));
      assertThat(config.region()).isEqualTo("us-east-1");
      assertThat(config.endpoint()).isNull();
      assertThat(glacier.description()).isEqualTo("glacier://vault (us-east-1)");
      assertThat(glacier.toString()).contains("credentials=default chain");
      assertThat(glacier.providerName()).isEqualTo("glacier");
    }
  }

  @Test
  @DisplayName("every option maps onto the destination")
  void fullMapping() throws Exception {
    Map<String, String> options =
        Map.of(
            "Endpoint",
            "http://127.0.0.1:5055",
            "RetrievalTier",
            "bulk",
            "RetrievalTimeoutMinutes",
            "30",
            "PollSeconds",
            "0.1",
            "PartSizeMiB",
            "64",
            "InventoryTimeoutMinutes",
            "90");
    PeriodicBackupSetup setup =
        PeriodicBackupSetup.builder()
            .glacierVaultName("vault")
            .s3BucketName("also-a-bucket")
            .awsRegionEndpoint("eu-west-1")
            .destination("glacier", options)
            .build();
    try (GlacierDestination glacier =
        create(setup, Map.of("Raven/AWSAccessKey", "AKIAEXAMPLE", "Raven/AWSSecretKey", SECRET))) {
      GlacierDestinationConfig config = glacier.config();
      assertThat(config.endpoint()).isEqualTo(URI.create("http://127.0.0.1:5055"));
      assertThat(config.retrievalTier()).isEqualTo(RetrievalTier.BULK);
      assertThat(config.retrievalTimeout()).isEqualTo(Duration.ofMinutes(30));
      assertThat(config.inventoryTimeout()).isEqualTo(Duration.ofMinutes(90));
      assertThat(config.poll()).isEqualTo(Duration.ofMillis(100));
      assertThat(config.partSizeBytes()).isEqualTo(64L * 1024 * 1024);
      assertThat(config.region()).isEqualTo("eu-west-1");
      assertThat(glacier.description())
          .isEqualTo("glacier://vault (eu-west-1) at http://127.0.0.1:5055");
      assertThat(glacier.toString())
          .contains("credentials=Raven/AWSAccessKey")
          .doesNotContain(SECRET)
          .doesNotContain("AKIAEXAMPLE");
      assertThat(glacier.description()).doesNotContain(SECRET);
    }
  }

  @Test
  @DisplayName("invalid values are reported together, naming key, value and rule")
  void invalidValues() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("Endpoint", "not a url");
    options.put("RetrievalTier", "Fast");
    options.put("RetrievalTimeoutMinutes", "0");
    options.put("PollSeconds", "0.01");
    options.put("PartSizeMiB", "3");
    options.put("InventoryTimeoutMinutes", "soon");
    options.put("PartSize", "8");
    assertThatThrownBy(() -> create(setup("vault", options), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).problems())
                    .containsExactly(
                        "Destinations.glacier.PartSize: unknown option; did you mean PartSizeMiB? Known: "
                            + GlacierOptions.KEYS,
                        "Destinations.glacier.Endpoint: 'not a url' is not valid; expected an absolute URL"
                            + " such as http://127.0.0.1:9000",
                        "Destinations.glacier.RetrievalTier: 'Fast' is not valid; expected one of Expedited,"
                            + " Standard, Bulk",
                        "Destinations.glacier.RetrievalTimeoutMinutes: '0' is not valid; expected a positive"
                            + " whole number of minutes",
                        "Destinations.glacier.InventoryTimeoutMinutes: 'soon' is not valid; expected a"
                            + " positive whole number of minutes",
                        "Destinations.glacier.PollSeconds: '0.01' is not valid; expected a number of seconds"
                            + " of at least 0.05",
                        "Destinations.glacier.PartSizeMiB: '3' is not valid; expected a power of two from 1"
                            + " to 4096 (MiB)"));
    assertThatThrownBy(() -> GlacierDestination.builder().vault("no/slash").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("GlacierVaultName");
  }

  @Test
  @DisplayName("only one of the two credential settings is an error that shows no secret")
  void halfCredentialsAreAnError() {
    DestinationContext context =
        new DestinationContext(
            "shop",
            setup("v", Map.of()),
            name -> name.equals("Raven/AWSSecretKey") ? Optional.of(SECRET) : Optional.empty());
    assertThatThrownBy(() -> new GlacierDestinationProvider().create(context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Raven/AWSSecretKey is set but Raven/AWSAccessKey is not")
        .hasMessageNotContaining(SECRET);
  }

  private static GlacierDestination create(PeriodicBackupSetup setup, Map<String, String> settings)
      throws Exception {
    BackupDestination destination =
        new GlacierDestinationProvider()
            .create(
                new DestinationContext(
                    "shop", setup, name -> Optional.ofNullable(settings.get(name))));
    return (GlacierDestination) destination;
  }

  static PeriodicBackupSetup setup(String vault, Map<String, String> options) {
    return PeriodicBackupSetup.builder()
        .glacierVaultName(vault)
        .destination("glacier", options)
        .build();
  }
}
