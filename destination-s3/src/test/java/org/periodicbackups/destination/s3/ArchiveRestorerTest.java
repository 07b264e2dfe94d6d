package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.aws.AwsClientConfig;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.RestoreObjectResponse;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

/** The restore wait, with a scripted client: AWS restores take hours, so no service is used. */
class ArchiveRestorerTest {
  private final List<String> calls = new ArrayList<>();
  private final List<Duration> sleeps = new ArrayList<>();
  private final List<WaitListener.Wait> waits = new ArrayList<>();
  private Duration poll = Duration.ofSeconds(30);

  @Test
  @DisplayName("requests a restore, polls until it is done, then returns")
  void waitsForRestore() throws Exception {
    ArchiveRestorer restorer =
        restorer(
            Duration.ofMinutes(10),
            null,
            "ongoing-request=\"true\"",
            "ongoing-request=\"true\"",
            "ongoing-request=\"false\", expiry-date=\"Sun, 29 Nov 2026 15:06:49 GMT\"");
    restorer.restoreAndWait("f", "p/f");
    assertThat(calls).containsExactly("head", "restore", "head", "head", "head");
    assertThat(sleeps).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  @Test
  @DisplayName("does not request a second restore while one is running")
  void joinsRunningRestore() throws Exception {
    restorer(Duration.ofMinutes(10), "ongoing-request=\"true\"", "ongoing-request=\"false\"")
        .restoreAndWait("f", "p/f");
    assertThat(calls).containsExactly("head", "head");
  }

  @Test
  @DisplayName("gives up after the configured wait with an actionable message")
  void givesUpAfterWait() {
    ArchiveRestorer restorer = restorer(Duration.ofSeconds(75), "ongoing-request=\"true\"");
    assertThatThrownBy(() -> restorer.restoreAndWait("f", "p/f"))
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining("s3://b/p/f is in the GLACIER storage class")
        .hasMessageContaining("raise RestoreWaitMinutes");
    assertThat(sleeps).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  @DisplayName("the wait is reported at its start, at least every 30 s of waiting, and its end")
  void reportsTheWait() throws Exception {
    poll = Duration.ofSeconds(75);
    restorer(
            Duration.ofMinutes(10),
            null,
            "ongoing-request=\"true\"",
            "ongoing-request=\"true\"",
            "ongoing-request=\"false\"")
        .restoreAndWait("shop/f", "p/shop/f");

    assertThat(waits).first().satisfies(w -> assertThat(w.elapsed()).isZero());
    assertThat(waits).last().satisfies(w -> assertThat(w.finished()).isTrue());
    assertThat(waits)
        .allSatisfy(
            w -> {
              assertThat(w.what())
                  .isEqualTo(
                      "the Bulk restore of shop/f from the GLACIER storage class (s3://b/p/shop/f)");
              assertThat(w.expected()).isEqualTo("typically 5-12 hours");
            });
    assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(30)));
    // Two polls of 75 s, slept in slices that end when a report is due: every 30 s of waiting.
    assertThat(waits)
        .extracting(w -> w.elapsed().toSeconds())
        .containsExactly(0L, 30L, 60L, 90L, 120L, 150L, 150L);
  }

  private ArchiveRestorer restorer(Duration wait, String... restoreHeaders) {
    Iterator<String> headers = Arrays.asList(restoreHeaders).iterator();
    String[] last = {null};
    S3Client fake =
        (S3Client)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "headObject" -> {
                      calls.add("head");
                      if (headers.hasNext()) {
                        last[0] = headers.next();
                      }
                      return HeadObjectResponse.builder()
                          .storageClass(StorageClass.GLACIER)
                          .restore(last[0])
                          .build();
                    }
                    case "restoreObject" -> {
                      calls.add("restore");
                      return RestoreObjectResponse.builder().build();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                  }
                });
    S3DestinationConfig config =
        new S3DestinationConfig(
            "b",
            "p",
            AwsClientConfig.builder().maxAttempts(1).build(),
            false,
            StorageClass.GLACIER,
            null,
            null,
            S3DestinationConfig.DEFAULT_PART_SIZE,
            2,
            wait,
            poll,
            1,
            Tier.BULK,
            null,
            null,
            null);
    return new ArchiveRestorer(fake, config, new S3Errors(config), sleeps::add, waits::add);
  }
}
