package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.StoredFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glacier.GlacierClient;

/**
 * The vault API against moto's Glacier (single-request uploads, inventory and archive-retrieval
 * jobs, which moto completes after about 5 seconds; moto has no multipart). Runs when {@code
 * PBK_MOTO_ENDPOINT} is set ({@code .ci/with-moto.sh} starts moto and sets it).
 */
class MotoGlacierTest {
  @TempDir Path temp;

  @Test
  @DisplayName("uploads, rebuilds the catalogue from an inventory, retrieves and deletes")
  void disasterRecoveryRoundTrip() throws IOException {
    URI endpoint = motoEndpoint();
    String vault = "pbk-moto-" + Long.toHexString(System.nanoTime());
    try (GlacierClient client =
        GlacierClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .httpClientBuilder(ApacheHttpClient.builder())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("pbk-moto-key", "pbk-moto-secret")))
            .build()) {
      client.createVault(b -> b.accountId("-").vaultName(vault));
    }
    // Distinct contents: moto derives archive ids from the bytes.
    byte[] full = TestFiles.pattern(300_000, 1);
    byte[] incremental = TestFiles.pattern(1_000, 2);
    StoredFile first;
    StoredFile second;
    try (GlacierDestination writer = builder(endpoint, vault).build()) {
      first =
          writer.upload(
              "shop/0001.full.json.gz", TestFiles.write(temp, "1", full), TestFiles.METADATA);
      second =
          writer.upload(
              "shop/0002.incremental.json.gz",
              TestFiles.write(temp, "2", incremental),
              TestFiles.METADATA);
      writer.upload("café/0001.full.json.gz", TestFiles.write(temp, "3", new byte[] {42}), null);
    }

    try (GlacierDestination recovered = builder(endpoint, vault).build()) {
      List<StoredFile> listed = recovered.list("shop/"); // inventory job
      assertThat(listed).containsExactly(first, second);
      assertThat(recovered.list(""))
          .extracting(StoredFile::name)
          .containsExactly(
              "café/0001.full.json.gz", "shop/0001.full.json.gz", "shop/0002.incremental.json.gz");

      try (InputStream in = recovered.open("shop/0001.full.json.gz")) { // retrieval job
        assertThat(in.readAllBytes()).isEqualTo(full);
      }
      assertThatThrownBy(() -> recovered.open("shop/0003.incremental.json.gz"))
          .isInstanceOf(BackupFileNotFoundException.class);

      recovered.delete("shop/0002.incremental.json.gz");
      recovered.delete("shop/0002.incremental.json.gz");
      assertThat(recovered.list("shop/")).containsExactly(first);
    }
  }

  private GlacierDestinationBuilder builder(URI endpoint, String vault) {
    return GlacierDestination.builder()
        .vault(vault)
        .aws(
            a -> a.endpoint(endpoint).credentials("pbk-moto-key", "pbk-moto-secret").maxAttempts(2))
        .poll(Duration.ofMillis(100))
        .retrievalTimeout(Duration.ofSeconds(60))
        .inventoryTimeout(Duration.ofSeconds(60))
        .tempDirectory(temp);
  }

  /** Skips, with the reason, when moto is not there. */
  private static URI motoEndpoint() {
    String endpoint = System.getenv("PBK_MOTO_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      String reason =
          "PBK_MOTO_ENDPOINT not set: moto tests skipped (.ci/with-moto.sh starts moto)";
      System.err.println(reason); // surefire's summary shows only a count
      Assumptions.abort(reason);
    }
    return URI.create(endpoint.strip());
  }
}
