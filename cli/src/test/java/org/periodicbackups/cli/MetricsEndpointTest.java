package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * {@code pbk run --metrics-port}: Prometheus text scraped over HTTP from a running daemon that
 * backs up a database and drills it on the schedule of its setup.
 */
@Timeout(90)
class MetricsEndpointTest {
  @TempDir Path temp;

  @Test
  void aRunningDaemonServesTheRecoveryMetricsOfEachDatabase() throws Exception {
    Path data = temp.resolve("data");
    Path backups = temp.resolve("backups");
    try (SqliteStore store = new SqliteStore(data)) {
      SqliteDatabase shop = store.create("shop", Map.of());
      shop.putSystemDocument(
          SystemDocuments.SETUP_KEY,
          "{\"LocalFolderName\": \""
              + backups.toString().replace("\\", "\\\\")
              + "\", \"IntervalMilliseconds\": 300, \"DrillIntervalMilliseconds\": 3600000}");
      shop.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    DaemonProcess daemon =
        DaemonProcess.start(
            data,
            temp.resolve("tmp"),
            temp.resolve("daemon.log"),
            "--setting",
            "Raven/ActiveBundles=PeriodicBackups",
            "--rescan-interval",
            "200ms",
            "--metrics-port",
            Integer.toString(port));
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Map<String, Double> metrics = Map.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          HttpResponse<String> response =
              client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.headers().firstValue("Content-Type"))
              .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
          metrics = parse(response.body());
          if (metrics.getOrDefault("pbk_last_drill_proved{database=\"shop\"}", 0.0) == 1.0) {
            break;
          }
        } catch (IOException notYetListening) {
          // the daemon is starting
        }
        Thread.sleep(200);
      }
      assertThat(metrics)
          .as(daemon.output())
          .containsKey("pbk_backups_total{database=\"shop\",type=\"Full\"}")
          .containsKey("pbk_uploaded_bytes_total{database=\"shop\",destination=\"filesystem\"}")
          .containsKey("pbk_backup_bytes_count{database=\"shop\"}")
          .containsKey("pbk_backup_duration_seconds_count{database=\"shop\"}")
          .containsKey("pbk_last_drill_age_seconds{database=\"shop\"}")
          .containsKey("pbk_predicted_restore_seconds{database=\"shop\"}");
      assertThat(metrics.get("pbk_last_backup_age_seconds{database=\"shop\"}"))
          .isBetween(0.0, 60.0);
      assertThat(
              metrics.get("pbk_uploaded_bytes_total{database=\"shop\",destination=\"filesystem\"}"))
          .isPositive();
      // The scheduled drill proved the chain; the next one is an hour away.
      assertThat(metrics.get("pbk_last_drill_proved{database=\"shop\"}"))
          .as(daemon.output())
          .isEqualTo(1.0);
      assertThat(metrics.get("pbk_last_drill_age_seconds{database=\"shop\"}")).isBetween(0.0, 60.0);
      assertThat(metrics.get("pbk_proven_etag{database=\"shop\"}")).isPositive();
      assertThat(metrics.get("pbk_predicted_restore_seconds{database=\"shop\"}"))
          .isNotNaN()
          .isGreaterThanOrEqualTo(0.0);
      assertThat(daemon.output()).contains("drill of 'shop' from local copy filesystem: proved");
    } finally {
      assertThat(daemon.stop()).isZero();
    }
  }

  /** Sample lines of Prometheus text: {@code name{labels} value}, comments skipped. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }
}
