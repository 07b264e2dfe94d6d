package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.ColdStorage;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.StoredFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glacier.GlacierClient;
import software.amazon.awssdk.services.glacier.model.ActionCode;

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

  @Test
  @DisplayName(
      "a bulk thaw starts every retrieval job at once; interrupted and started again, it reuses"
          + " them, and reads use their output instead of new jobs")
  void bulkThawResumesWithTheSameJobs() throws Exception {
    URI endpoint = motoEndpoint();
    String vault = "pbk-moto-thaw-" + Long.toHexString(System.nanoTime());
    try (GlacierClient client = client(endpoint)) {
      client.createVault(b -> b.accountId("-").vaultName(vault));
      Map<String, String> archives = new LinkedHashMap<>();
      Map<String, byte[]> contents = new LinkedHashMap<>();
      try (GlacierDestination writer = builder(endpoint, vault).build()) {
        for (int i = 0; i < 3; i++) {
          String name = "shop/c/00000" + i + (i == 0 ? ".full" : ".incremental") + ".json.gz";
          byte[] data = TestFiles.pattern(2_000 + i, 10 + i);
          contents.put(name, data);
          archives.put(
              name, writer.upload(name, TestFiles.write(temp, "t" + i, data), null).locator());
        }
      }
      List<String> names = List.copyOf(archives.keySet());
      try (GlacierDestination interrupted =
          builder(endpoint, vault)
              .knownArchives(archives)
              .inventoryOnList(false)
              .retrievalTimeout(Duration.ofMillis(300)) // moto's Standard jobs take about 5 s
              .build()) {
        ColdStorage cold = interrupted.coldStorage().orElseThrow();
        assertThat(cold.states(names))
            .extracting(ColdStorage.FileState::availability)
            .containsOnly(ColdStorage.Availability.MUST_REQUEST);
        assertThatThrownBy(() -> cold.thaw(names))
            .isInstanceOf(DestinationException.class)
            .hasMessageContaining("3 of 3 retrieval(s) (tier Standard")
            .hasMessageContaining("run the same restore again later (it reuses them");
      }
      assertThat(retrievalJobs(client, vault)).as("one job per file, all started").hasSize(3);

      try (GlacierDestination resumed =
          builder(endpoint, vault).knownArchives(archives).inventoryOnList(false).build()) {
        ColdStorage cold = resumed.coldStorage().orElseThrow();
        assertThat(cold.states(names))
            .extracting(ColdStorage.FileState::availability)
            .doesNotContain(ColdStorage.Availability.MUST_REQUEST);
        cold.thaw(names);
        assertThat(cold.states(names))
            .extracting(ColdStorage.FileState::availability)
            .containsOnly(ColdStorage.Availability.RESTORED);
        for (String name : names) {
          try (InputStream in = resumed.open(name)) {
            assertThat(in.readAllBytes()).isEqualTo(contents.get(name));
          }
        }
      }
      assertThat(retrievalJobs(client, vault))
          .as("the resumed thaw and the reads started no job")
          .hasSize(3);
    }
  }

  private static List<String> retrievalJobs(GlacierClient client, String vault) {
    return client.listJobs(b -> b.accountId("-").vaultName(vault)).jobList().stream()
        .filter(j -> j.action() == ActionCode.ARCHIVE_RETRIEVAL)
        .map(j -> j.jobId())
        .toList();
  }

  private static GlacierClient client(URI endpoint) {
    return GlacierClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .httpClientBuilder(ApacheHttpClient.builder())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("pbk-moto-key", "pbk-moto-secret")))
        .build();
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
