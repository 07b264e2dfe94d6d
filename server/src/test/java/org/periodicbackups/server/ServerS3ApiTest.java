package org.periodicbackups.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.destination.s3.EmbeddedS3Proxy;

/** Backups to S3 (an embedded S3Proxy) set up and run entirely through the HTTP API. */
class ServerS3ApiTest {
  private static EmbeddedS3Proxy s3;

  @TempDir Path folder;

  @BeforeAll
  static void startProxy() throws Exception {
    s3 = new EmbeddedS3Proxy();
    s3.target("backups");
  }

  @AfterAll
  static void stopProxy() throws Exception {
    s3.close();
  }

  @Test
  void backsUpToS3WithCredentialsSetThroughTheApiAndNeverReturnsTheSecret() throws IOException {
    try (TestServer server = TestServer.loopback(folder)) {
      assertThat(server.send("POST", "/databases", "{\"Name\":\"shop\"}").statusCode())
          .isEqualTo(201);
      assertThat(
              server
                  .send(
                      "PUT",
                      "/databases/shop/settings/Raven/AWSAccessKey",
                      "{\"Value\":\"" + EmbeddedS3Proxy.ACCESS_KEY + "\"}")
                  .statusCode())
          .isEqualTo(204);
      assertThat(
              server
                  .send(
                      "PUT",
                      "/databases/shop/secured-settings/Raven/AWSSecretKey",
                      "{\"Value\":\"" + EmbeddedS3Proxy.SECRET_KEY + "\"}")
                  .statusCode())
          .isEqualTo(204);
      HttpResponse<String> setup =
          server.send(
              "PUT",
              "/databases/shop/setup",
              "{\"S3BucketName\":\"backups\",\"S3RemoteFolderName\":\"api\","
                  + "\"IntervalMilliseconds\":3600000,"
                  + "\"Destinations\":{\"s3\":{\"Endpoint\":\""
                  + s3.endpoint()
                  + "\"}}}");
      assertThat(setup.statusCode()).as(setup.body()).isEqualTo(200);
      server.send("PUT", "/databases/shop/docs/users/1", "{\"Body\":{\"Name\":\"Ann\"}}");

      HttpResponse<String> backup = server.send("POST", "/databases/shop/backup", null);
      assertThat(backup.statusCode()).as(backup.body()).isEqualTo(200);
      assertThat(json(backup).get("Result").asText()).as(backup.body()).isEqualTo("BACKED_UP");

      HttpResponse<String> status = server.send("GET", "/databases/shop/status", null);
      assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
      JsonNode history = json(status).get("History");
      assertThat(history).hasSize(1);
      assertThat(history.get(0).get("Copies").findValuesAsText("Destination")).contains("s3");

      // A drill reads the chain back from the bucket (the remote destination, not a local copy)
      // and proves the restored database equals the source.
      HttpResponse<String> drill = server.send("POST", "/databases/shop/drill", null);
      assertThat(drill.statusCode()).as(drill.body()).isEqualTo(200);
      assertThat(json(drill).get("From").asText()).isEqualTo("remote destination s3");
      assertThat(json(drill).get("Drill").get("Result").asText())
          .as(drill.body())
          .isEqualTo("Proved");
      assertThat(drill.body()).doesNotContain(EmbeddedS3Proxy.SECRET_KEY);

      // Every read endpoint, including the answers above, keeps the secret to itself.
      for (String body : List.of(backup.body(), status.body(), setup.body())) {
        assertThat(body).doesNotContain(EmbeddedS3Proxy.SECRET_KEY);
      }
      for (String path :
          List.of(
              "/databases",
              "/databases/shop",
              "/databases/shop/settings",
              "/databases/shop/setup",
              "/databases/shop/destinations",
              "/databases/shop/status",
              "/databases/shop/import",
              "/server",
              "/databases/shop/settings/Raven/AWSSecretKey",
              "/databases/shop/secured-settings/Raven/AWSSecretKey",
              "/databases/shop/docs/Raven/Backup/Periodic/Setup",
              "/databases/shop/docs/Raven/Backup/Periodic/Status")) {
        HttpResponse<String> response = server.send("GET", path, null);
        assertThat(response.body()).as(path).doesNotContain(EmbeddedS3Proxy.SECRET_KEY);
      }
    }
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JsonBodies.MAPPER.readTree(response.body());
  }
}
