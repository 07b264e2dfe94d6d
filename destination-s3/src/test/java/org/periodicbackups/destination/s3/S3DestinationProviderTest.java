package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.destination.StoredFile;
import software.amazon.awssdk.services.s3.model.StorageClass;

class S3DestinationProviderTest {
  private static EmbeddedS3Proxy proxy;
  private static S3Target target;

  @TempDir Path temp;

  @BeforeAll
  static void startProxy() throws Exception {
    proxy = new EmbeddedS3Proxy();
    target = proxy.target("pbk-provider");
  }

  @AfterAll
  static void stopProxy() throws Exception {
    proxy.close();
  }

  @Test
  @DisplayName("ServiceLoader finds the provider by the name s3")
  void serviceLoaderFindsS3() {
    assertThat(
            ServiceLoader.load(DestinationProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("s3"))
                .toList())
        .singleElement()
        .isInstanceOf(S3DestinationProvider.class);
  }

  @Test
  @DisplayName("the second rung of the precedence rule: above third parties, below Glacier")
  void precedence() {
    S3DestinationProvider provider = new S3DestinationProvider();
    assertThat(provider.precedence())
        .isEqualTo(DestinationProvider.S3_PRECEDENCE)
        .isLessThan(DestinationProvider.GLACIER_PRECEDENCE)
        .isGreaterThanOrEqualTo(1000);
    assertThat(provider.configuredBy()).isEqualTo("S3BucketName");
    assertThat(provider.keepsCopy()).isFalse();
  }

  @Test
  @DisplayName("configured exactly when S3BucketName is set")
  void configuredByBucketName() {
    S3DestinationProvider provider = new S3DestinationProvider();
    assertThat(provider.isConfiguredBy(PeriodicBackupSetup.empty())).isFalse();
    assertThat(provider.isConfiguredBy(setup("b", null, Map.of()))).isTrue();
  }

  @Test
  @DisplayName("creates a working destination from the setup document and settings")
  void createsFromSetupAndSettings() throws Exception {
    Map<String, String> options =
        Map.of(
            "Endpoint",
            target.endpoint().toString(),
            "PathStyle",
            "true",
            "PartSizeMiB",
            "5",
            "Parallelism",
            "3",
            "StorageClass",
            "standard_ia");
    Map<String, String> settings =
        Map.of("Raven/AWSAccessKey", target.accessKey(), "Raven/AWSSecretKey", target.secretKey());
    DestinationContext context =
        new DestinationContext(
            "shop",
            setup(target.bucket(), "//backups/prod//", options),
            name -> Optional.ofNullable(settings.get(name)));
    try (BackupDestination destination = new S3DestinationProvider().create(context)) {
      S3DestinationConfig config = ((S3Destination) destination).config();
      assertThat(config.prefix()).isEqualTo("backups/prod/");
      assertThat(config.partSizeBytes()).isEqualTo(5L * 1024 * 1024);
      assertThat(config.parallelism()).isEqualTo(3);
      assertThat(config.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
      assertThat(destination.providerName()).isEqualTo("s3");
      assertThat(destination.toString()).doesNotContain(target.secretKey());

      Path file = Files.writeString(temp.resolve("f"), "hello");
      StoredFile stored =
          destination.upload("shop/1.json.gz", file, S3DestinationContract.METADATA);
      assertThat(stored.locator()).isEqualTo("s3://pbk-provider/backups/prod/shop/1.json.gz");
      try (InputStream in = destination.open("shop/1.json.gz")) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
      }
      destination.delete("shop/1.json.gz");
    }
  }

  @Test
  @DisplayName("only one of the two credential settings is an error naming the other")
  void halfCredentialsAreAnError() {
    DestinationContext context =
        new DestinationContext(
            "shop",
            setup("b", null, Map.of()),
            name -> name.equals("Raven/AWSAccessKey") ? Optional.of("AKIA") : Optional.empty());
    assertThatThrownBy(() -> new S3DestinationProvider().create(context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Raven/AWSAccessKey is set but Raven/AWSSecretKey is not");
  }

  @Test
  @DisplayName("without credential settings the default chain is used (no request is sent)")
  void defaultChainWithoutSettings() throws Exception {
    try (BackupDestination destination =
        new S3DestinationProvider()
            .create(DestinationContext.of("shop", setup("b", "p", Map.of())))) {
      assertThat(destination.toString()).contains("credentials=default chain");
      assertThat(destination.description()).isEqualTo("s3://b/p/");
    }
  }

  static PeriodicBackupSetup setup(String bucket, String folder, Map<String, String> options) {
    return PeriodicBackupSetup.builder()
        .s3BucketName(bucket)
        .s3RemoteFolderName(folder)
        .destination("s3", options)
        .build();
  }
}
