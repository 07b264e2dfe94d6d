package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.BackupCopy;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glacier.GlacierClient;

/**
 * Disaster recovery against moto's Glacier: the engine backs a database up to a vault (a full
 * backup and two incrementals; an S3 bucket configured too is ignored, as the vault wins), then a
 * fresh destination, knowing nothing but the vault's name, rebuilds the catalogue from an inventory
 * job and the chain is restored into an empty database through retrieval jobs.
 */
class MotoGlacierChainTest {
  private static final String ACCESS = "pbk-moto-key";
  private static final String SECRET = "pbk-moto-secret";

  @TempDir Path temp;

  /** Stands for the S3 provider: the precedence rule must never let it receive a file. */
  private static final class UnusableS3 implements DestinationProvider {
    @Override
    public String name() {
      return BuiltInDestinations.S3;
    }

    @Override
    public boolean isConfiguredBy(PeriodicBackupSetup setup) {
      return setup.s3BucketName() != null;
    }

    @Override
    public BackupDestination create(DestinationContext context) {
      throw new AssertionError("the S3 bucket received a file although a vault is configured");
    }
  }

  @Test
  @DisplayName("a chain uploaded by the engine restores from the vault alone, equal to the source")
  void chainRestoresFromTheVaultAlone() throws Exception {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(),
        "PBK_MOTO_ENDPOINT not set: moto tests skipped (.ci/with-moto.sh starts moto)");
    String vault = "pbk-chain-" + Long.toHexString(System.nanoTime());
    try (GlacierClient client =
        GlacierClient.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .httpClientBuilder(ApacheHttpClient.builder())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
            .build()) {
      client.createVault(b -> b.accountId("-").vaultName(vault));
    }
    String setupJson =
        "{\"GlacierVaultName\": \""
            + vault
            + "\", \"S3BucketName\": \"ignored\","
            + " \"Destinations\": {\"glacier\": {\"Endpoint\": \""
            + endpoint
            + "\","
            + " \"PollSeconds\": \"0.1\", \"RetrievalTimeoutMinutes\": \"2\","
            + " \"InventoryTimeoutMinutes\": \"2\"}}}";
    DestinationRegistry registry =
        DestinationRegistry.of(List.of(new GlacierDestinationProvider(), new UnusableS3()));

    try (SqliteStore store = new SqliteStore(temp.resolve("data"));
        SqliteStore restored = new SqliteStore(temp.resolve("restored"))) {
      SqliteDatabase shop = store.create("shop", Map.of("Raven/AWSAccessKey", ACCESS));
      shop.putSecuredSetting("Raven/AWSSecretKey", SECRET);
      shop.putSystemDocument(SystemDocuments.SETUP_KEY, setupJson);
      BackupEngine engine =
          new BackupEngine(
              new DestinationResolver(registry), temp.resolve("work"), java.time.Clock.systemUTC());
      shop.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
      shop.putAttachment("files/a", "{}", new ByteArrayInputStream(new byte[] {1, 2, 3}));
      engine.run(shop, new BackupRequest(true, true));
      shop.putDocument("users/2", "{}", "{\"Name\":\"Bob\"}");
      engine.run(shop, BackupRequest.SCHEDULED);
      shop.deleteDocument("users/1");
      shop.deleteAttachment("files/a");
      engine.run(shop, BackupRequest.SCHEDULED);

      List<BackupRecord> history =
          StatusDocuments.parse(shop.getSystemDocument(SystemDocuments.STATUS_KEY).orElseThrow())
              .history();
      assertThat(history).hasSize(3);
      assertThat(history)
          .flatExtracting(BackupRecord::copies)
          .extracting(BackupCopy::destination)
          .containsOnly("glacier");
      assertThat(history)
          .flatExtracting(BackupRecord::copies)
          .extracting(BackupCopy::locator)
          .doesNotHaveDuplicates()
          .allMatch(id -> !id.isBlank());

      SqliteDatabase target = restored.create("shop", Map.of());
      DestinationContext fresh =
          new DestinationContext(
              "shop",
              SetupDocuments.parse(setupJson),
              name ->
                  name.equals("Raven/AWSAccessKey")
                      ? java.util.Optional.of(ACCESS)
                      : name.equals("Raven/AWSSecretKey")
                          ? java.util.Optional.of(SECRET)
                          : java.util.Optional.empty());
      try (BackupDestination vaultAlone = new GlacierDestinationProvider().create(fresh)) {
        ChainRestorer restorer = new ChainRestorer();
        restorer.restore(
            vaultAlone, restorer.plan(vaultAlone, RestoreRequest.latest("shop")), target);
      }
      assertThat(DatabaseContents.of(target).differenceFrom(DatabaseContents.of(shop))).isNull();
      assertThat(DatabaseContents.of(target).documents()).containsOnlyKeys("users/2");
    }
  }
}
