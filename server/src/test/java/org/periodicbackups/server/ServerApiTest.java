package org.periodicbackups.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.core.scheduler.BundleActivation;

/** The JSON API over real HTTP on an ephemeral loopback port. */
class ServerApiTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEYX";

  @TempDir Path folder;
  private TestServer server;

  @BeforeEach
  void start() throws IOException {
    server = TestServer.loopback(folder);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private JsonNode json(HttpResponse<String> response) throws IOException {
    return JsonBodies.MAPPER.readTree(response.body());
  }

  @Test
  @DisplayName("create a database with the bundle, set up a local folder, back up now, read status")
  void backsUpToLocalFolderAndReportsStatus() throws IOException {
    HttpResponse<String> created =
        server.send("POST", "/databases", "{\"Name\":\"shop\",\"PeriodicBackups\":true}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(json(created).get("PeriodicBackups").asBoolean()).isTrue();

    assertThat(
            server
                .send(
                    "PUT",
                    "/databases/shop/docs/users/1",
                    "{\"Metadata\":{\"Raven-Entity-Name\":\"Users\"},\"Body\":{\"Name\":\"Ann\"}}")
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> doc = server.send("GET", "/databases/shop/docs/users/1", null);
    assertThat(json(doc).at("/Body/Name").asText()).isEqualTo("Ann");

    Path backups = folder.resolve("backups");
    HttpResponse<String> setup =
        server.send(
            "PUT",
            "/databases/shop/setup",
            "{\"LocalFolderName\":"
                + JsonBodies.MAPPER.writeValueAsString(backups.toString())
                + ",\"IntervalMilliseconds\":3600000}");
    assertThat(setup.statusCode()).as(setup.body()).isEqualTo(200);
    assertThat(
            json(server.send("GET", "/databases/shop/destinations", null))
                .get("LocalCopy")
                .asText())
        .isEqualTo("filesystem");

    HttpResponse<String> backup = server.send("POST", "/databases/shop/backup", null);
    assertThat(backup.statusCode()).as(backup.body()).isEqualTo(200);
    assertThat(json(backup).get("Result").asText()).isEqualTo("BACKED_UP");
    assertThat(json(backup).get("Message").asText()).contains("shop");

    HttpResponse<String> status = server.send("GET", "/databases/shop/status", null);
    assertThat(status.statusCode()).isEqualTo(200);
    JsonNode statusJson = json(status);
    assertThat(statusJson.get("LastDocsEtag").asLong()).isGreaterThan(0);
    assertThat(statusJson.get("History")).hasSize(1);
    try (Stream<Path> files = Files.walk(backups)) {
      assertThat(files.filter(f -> f.toString().endsWith(".full.json.gz"))).hasSize(1);
    }
  }

  @Test
  void aDrillRestoresTheChainIntoScratchAndRecordsItsProof() throws IOException {
    server.send("POST", "/databases", "{\"Name\":\"shop\",\"PeriodicBackups\":true}");
    assertThat(server.send("POST", "/databases/shop/drill", null).statusCode())
        .as("no setup yet")
        .isEqualTo(404);
    Path backups = folder.resolve("backups");
    server.send(
        "PUT",
        "/databases/shop/setup",
        "{\"LocalFolderName\": " + JsonBodies.MAPPER.writeValueAsString(backups.toString()) + "}");
    server.send("PUT", "/databases/shop/docs/users/1", "{\"Body\":{\"Name\":\"Ann\"}}");
    assertThat(server.send("POST", "/databases/shop/backup", null).statusCode()).isEqualTo(200);

    HttpResponse<String> drill = server.send("POST", "/databases/shop/drill", null);

    assertThat(drill.statusCode()).as(drill.body()).isEqualTo(200);
    JsonNode record = json(drill).get("Drill");
    assertThat(record.get("Result").asText()).isEqualTo("Proved");
    assertThat(record.get("LastFile").asText()).endsWith(".full.json.gz");
    assertThat(json(drill).get("From").asText()).isEqualTo("local copy filesystem");
    JsonNode status = json(server.send("GET", "/databases/shop/status", null));
    assertThat(status.get("LastDrill")).isEqualTo(record);
    assertThat(server.store.list()).containsExactly("shop"); // the scratch store is elsewhere
  }

  @Test
  @DisplayName("a secret set through the API is never returned by any endpoint")
  void secretIsNeverReturned() throws IOException {
    server.send("POST", "/databases", "{\"Name\":\"shop\"}");
    assertThat(
            server
                .send(
                    "PUT",
                    "/databases/shop/settings/Raven/AWSAccessKey",
                    "{\"Value\":\"AKIAEXAMPLE\"}")
                .statusCode())
        .isEqualTo(204);
    assertThat(
            server
                .send(
                    "PUT",
                    "/databases/shop/secured-settings/Raven/AWSSecretKey",
                    "{\"Value\":\"" + SECRET + "\"}")
                .statusCode())
        .isEqualTo(204);
    server.send(
        "PUT", "/databases/shop/setup", "{\"S3BucketName\":\"b\",\"IntervalMilliseconds\":60000}");

    HttpResponse<String> settings = server.send("GET", "/databases/shop/settings", null);
    assertThat(json(settings).get("Secured").get(0).asText()).isEqualTo("Raven/AWSSecretKey");
    assertThat(json(settings).at("/Settings/Raven~1AWSAccessKey").asText())
        .isEqualTo("AKIAEXAMPLE");
    for (String path :
        List.of(
            "/databases",
            "/databases/shop",
            "/databases/shop/settings",
            "/databases/shop/setup",
            "/databases/shop/destinations",
            "/databases/shop/status",
            "/databases/shop/docs/Raven/Backup/Periodic/Setup",
            "/server",
            "/databases/shop/settings/Raven/AWSSecretKey",
            "/databases/shop/secured-settings/Raven/AWSSecretKey")) {
      HttpResponse<String> response = server.send("GET", path, null);
      assertThat(response.body()).as(path).doesNotContain(SECRET).doesNotContain("wJalrXUtn");
    }
    // A plain write of a credential is refused, pointing to the secured endpoint.
    HttpResponse<String> plain =
        server.send("PUT", "/databases/shop/settings/Raven/AWSSecretKey", "{\"Value\":\"x\"}");
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(json(plain).get("Error").asText()).contains("secured-settings");
  }

  @Test
  @DisplayName("GET …/import lists the applied files: none in a new database, 404 for none")
  void importedFilesOfANewDatabase() throws IOException {
    server.send("POST", "/databases", "{\"Name\":\"shop\"}");
    HttpResponse<String> imported = server.send("GET", "/databases/shop/import", null);
    assertThat(imported.statusCode()).isEqualTo(200);
    assertThat(json(imported).get("Files")).isEmpty();
    assertThat(server.send("GET", "/databases/nope/import", null).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("a bad setup answers one error per field")
  void badSetupAnswersFieldErrors() throws IOException {
    server.send("POST", "/databases", "{\"Name\":\"shop\"}");
    HttpResponse<String> response =
        server.send(
            "PUT",
            "/databases/shop/setup",
            "{\"LocalFolderName\":\"x\",\"IntervalMilliseconds\":-5,\"S3BucketNmae\":\"b\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode errors = json(response).get("Errors");
    assertThat(errors.findValuesAsText("Field")).contains("IntervalMilliseconds", "S3BucketNmae");
    assertThat(response.body()).contains("did you mean 'S3BucketName'");
    assertThat(server.send("GET", "/databases/shop/setup", null).statusCode()).isEqualTo(404);
  }

  @Nested
  @DisplayName("/databases")
  class Databases {
    @Test
    @DisplayName("a second database of the same name is refused with 409")
    void duplicateNameIsAConflict() throws IOException {
      assertThat(server.send("POST", "/databases", "{\"Name\":\"shop\"}").statusCode())
          .isEqualTo(201);
      HttpResponse<String> duplicate = server.send("POST", "/databases", "{\"Name\":\"shop\"}");
      assertThat(duplicate.statusCode()).isEqualTo(409);
      assertThat(json(duplicate).get("Error").asText()).contains("shop");
    }

    @Test
    @DisplayName("a deleted database is gone; an unknown one answers 404 naming it")
    void deleteAndUnknownDatabases() throws IOException {
      server.send("POST", "/databases", "{\"Name\":\"shop\"}");
      assertThat(server.send("DELETE", "/databases/shop", null).statusCode()).isEqualTo(204);
      assertThat(server.send("GET", "/databases/shop", null).statusCode()).isEqualTo(404);
      HttpResponse<String> missing = server.send("GET", "/databases/nope/docs/a", null);
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(json(missing).get("Error").asText()).contains("'nope'");
    }
  }

  @Nested
  @DisplayName("/databases/{db}/docs/{key}")
  class Documents {
    @BeforeEach
    void createDatabase() throws IOException {
      server.send("POST", "/databases", "{\"Name\":\"shop\"}");
    }

    @Test
    @DisplayName("a document with '/' in its key is stored and read back")
    void putAndGet() throws IOException {
      assertThat(
              server
                  .send(
                      "PUT",
                      "/databases/shop/docs/users/1",
                      "{\"Metadata\":{\"Raven-Entity-Name\":\"Users\"},\"Body\":{\"Name\":\"Ann\"}}")
                  .statusCode())
          .isEqualTo(200);
      JsonNode doc = json(server.send("GET", "/databases/shop/docs/users/1", null));
      assertThat(doc.at("/Body/Name").asText()).isEqualTo("Ann");
      assertThat(doc.at("/Metadata/Raven-Entity-Name").asText()).isEqualTo("Users");
    }

    @Test
    @DisplayName("a body that is not JSON is refused with 400 saying so")
    void badJson() throws IOException {
      HttpResponse<String> badJson = server.send("PUT", "/databases/shop/docs/a", "{");
      assertThat(badJson.statusCode()).isEqualTo(400);
      assertThat(json(badJson).get("Error").asText()).contains("not valid JSON");
    }

    @Test
    @DisplayName("system documents (Raven/…) cannot be written as documents")
    void systemKeysAreRefused() throws IOException {
      HttpResponse<String> refused =
          server.send("PUT", "/databases/shop/docs/Raven/x", "{\"Body\":{}}");
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(json(refused).get("Error").asText()).contains("Raven/");
    }
  }

  @Nested
  @DisplayName("/databases/{db}/attachments/{key}")
  class Attachments {
    @Test
    @DisplayName("bytes and metadata are stored, read back and deleted")
    void putGetDelete() throws IOException {
      server.send("POST", "/databases", "{\"Name\":\"shop\"}");
      byte[] bytes = "hello attachment".getBytes(StandardCharsets.UTF_8);
      HttpResponse<byte[]> put =
          server.sendBytes(
              "PUT",
              "/databases/shop/attachments/images/a.bin",
              bytes,
              "X-Attachment-Metadata",
              "{\"Type\":\"bin\"}");
      assertThat(put.statusCode()).isEqualTo(200);
      HttpResponse<byte[]> get =
          server.sendBytes("GET", "/databases/shop/attachments/images/a.bin", null);
      assertThat(get.body()).isEqualTo(bytes);
      assertThat(get.headers().firstValue("X-Attachment-Metadata")).hasValue("{\"Type\":\"bin\"}");
      assertThat(
              server
                  .sendBytes("DELETE", "/databases/shop/attachments/images/a.bin", null)
                  .statusCode())
          .isEqualTo(204);
      assertThat(
              server
                  .sendBytes("GET", "/databases/shop/attachments/images/a.bin", null)
                  .statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  @DisplayName("an unknown route answers a JSON 404 naming the path")
  void unknownRoute() throws IOException {
    HttpResponse<String> noRoute = server.send("GET", "/nothing/here", null);
    assertThat(noRoute.statusCode()).isEqualTo(404);
    assertThat(json(noRoute).get("Error").asText()).contains("/nothing/here");
  }

  @Test
  @DisplayName("bodies over the limit are refused with 413")
  void refusesOversizedBodies(@TempDir Path other) throws IOException {
    try (TestServer small =
        new TestServer(
            other,
            new ServerOptions("127.0.0.1", 0, null, 64, 128),
            BundleActivation.perDatabase())) {
      small.send("POST", "/databases", "{\"Name\":\"shop\"}");
      HttpResponse<String> response =
          small.send(
              "PUT", "/databases/shop/docs/a", "{\"Body\":{\"Text\":\"" + "x".repeat(200) + "\"}}");
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.body()).contains("limit of 64 bytes");
    }
  }

  @Test
  @DisplayName("with an API key every API request needs X-Api-Key; non-loopback needs a key")
  void apiKeyIsRequired(@TempDir Path other) throws IOException {
    assertThatThrownBy(() -> new ServerOptions("0.0.0.0", 0, null, 1, 1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("--api-key");
    assertThatThrownBy(() -> new ServerOptions("192.0.2.7", 0, " ", 1, 1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PBK_API_KEY");
    ServerOptions options = new ServerOptions("127.0.0.1", 0, "k3y", 1 << 20, 1 << 20);
    assertThat(options.toString()).doesNotContain("k3y");
    try (TestServer keyed = new TestServer(other, options, BundleActivation.everywhere())) {
      assertThat(keyed.send("GET", "/databases", null, null).statusCode()).isEqualTo(401);
      assertThat(keyed.send("GET", "/databases", null, "wrong").statusCode()).isEqualTo(401);
      assertThat(keyed.send("GET", "/databases", null, "k3y").statusCode()).isEqualTo(200);
      assertThat(keyed.send("GET", "/studio/index.html", null, null).statusCode()).isEqualTo(200);
      JsonNode server = json(keyed.send("GET", "/server", null));
      assertThat(server.get("PeriodicBackupsActiveGlobally").asBoolean()).isTrue();
    }
  }
}
