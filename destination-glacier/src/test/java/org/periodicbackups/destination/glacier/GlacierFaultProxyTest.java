package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.aws.FaultProxy;

/**
 * Multipart Glacier uploads through the S3 module's {@link FaultProxy} in front of {@link
 * GlacierFixture}: connection resets and 503s in the middle of a part are retried while attempts
 * remain; at every attempt the upload fails naming the file and is aborted.
 */
class GlacierFaultProxyTest {
  private static final long MIB = TestFiles.MIB;
  private static final Predicate<FaultProxy.Request> PART =
      r -> r.method().equals("PUT") && r.path().contains("/multipart-uploads/");

  @TempDir Path temp;
  private GlacierFixture fixture;
  private FaultProxy proxy;
  private GlacierDestination glacier;

  @BeforeEach
  void start() throws IOException {
    fixture = new GlacierFixture("vault-1");
    proxy = new FaultProxy(fixture.endpoint());
    glacier =
        GlacierDestination.builder()
            .vault("vault-1")
            .aws(
                a ->
                    a.endpoint(proxy.endpoint())
                        .credentials("fixture-key", "fixture-secret")
                        .maxAttempts(3))
            .partSizeBytes(MIB)
            .poll(Duration.ofMillis(50))
            .retrievalTimeout(Duration.ofSeconds(20))
            .inventoryOnList(false)
            .tempDirectory(temp)
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    glacier.close();
    proxy.close();
    fixture.close();
  }

  @Test
  @DisplayName("a part reset or throttled twice, of 3 attempts, is retried: the archive is whole")
  void transientPartFaultsAreRetried() throws IOException {
    byte[] data = TestFiles.pattern((int) (3 * MIB), 5);
    FaultProxy.Rule reset = proxy.inject(FaultProxy.resetAfter(MIB / 2), PART, 1, 1);
    FaultProxy.Rule throttled = proxy.inject(FaultProxy.slowDown(), PART, 1, 1);
    StoredFile stored =
        glacier.upload(
            "shop/0001.full.json.gz", TestFiles.write(temp, "big", data), TestFiles.METADATA);
    assertThat(reset.hits()).isEqualTo(1);
    assertThat(throttled.hits()).isEqualTo(1);
    assertThat(fixture.problems()).isEmpty();
    assertThat(fixture.archives().get(stored.locator())).isEqualTo(data);
    assertThat(fixture.uploadsInProgress()).isEmpty();
  }

  @Test
  @DisplayName("a part reset at every attempt fails the upload, naming the file, and aborts it")
  void persistentPartFaultAbortsTheUpload() throws IOException {
    byte[] data = TestFiles.pattern((int) (3 * MIB), 6);
    Path file = TestFiles.write(temp, "big", data);
    FaultProxy.Rule reset = proxy.inject(FaultProxy.resetAfter(MIB / 2), PART, 1, 1000);
    assertThatThrownBy(() -> glacier.upload("shop/0002.full.json.gz", file, TestFiles.METADATA))
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining("shop/0002.full.json.gz");
    assertThat(reset.hits()).isEqualTo(3);
    assertThat(fixture.aborted()).hasSize(1);
    assertThat(fixture.uploadsInProgress()).isEmpty();
    assertThat(fixture.archives()).isEmpty();
  }

  @Test
  @DisplayName("a part throttled at every attempt fails saying how often, as S3's errors do")
  void persistentThrottlingReportsTheAttempts() throws IOException {
    Path file = TestFiles.write(temp, "big", TestFiles.pattern((int) (3 * MIB), 7));
    FaultProxy.Rule throttled = proxy.inject(FaultProxy.slowDown(), PART, 1, 1000);
    assertThatThrownBy(() -> glacier.upload("shop/0003.full.json.gz", file, TestFiles.METADATA))
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining("Glacier answered 503")
        .hasMessageContaining(" 3 times for the upload shop/0003.full.json.gz in glacier://vault-1")
        .hasMessageContaining("gave up after 3 attempts (MaxAttempts)");
    assertThat(throttled.hits()).isEqualTo(3);
    assertThat(fixture.uploadsInProgress()).isEmpty();
  }
}
