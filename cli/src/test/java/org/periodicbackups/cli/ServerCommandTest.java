package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.cli.Pbk.Run;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteStore;
import picocli.CommandLine;

/** {@code pbk server}: options, and the daemon with its API in a separate JVM. */
class ServerCommandTest {
  private static final Pattern LISTENING =
      Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void refusesToListenBeyondLoopbackWithoutApiKey() {
    Run run = Pbk.run("--data-dir", temp.toString(), "server", "--bind", "0.0.0.0");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("--api-key").contains("PBK_API_KEY");
  }

  @Test
  void sizesTakeBinaryUnits() {
    ServerCommand.SizeConverter sizes = new ServerCommand.SizeConverter();

    assertThat(sizes.convert("16MiB")).isEqualTo(16L << 20);
    assertThat(sizes.convert("1GiB")).isEqualTo(1L << 30);
    assertThat(sizes.convert("512")).isEqualTo(512L);
    assertThatThrownBy(() -> sizes.convert("lots"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("'lots' is not a size");
  }

  @Test
  void serverBacksUpOnScheduleAndSmugglerRestoresThroughItsUrl() throws Exception {
    Path data = temp.resolve("data");
    Path backups = temp.resolve("backups");
    Path log = temp.resolve("server.log");
    Process process =
        start(
            data,
            log,
            "--port",
            "0",
            "--rescan-interval",
            "1s",
            "--setting",
            "Raven/ActiveBundles=PeriodicBackups");
    try {
      String url = awaitUrl(process, log);
      assertThat(call("POST", url + "/databases", "{\"Name\":\"shop\"}").statusCode())
          .isEqualTo(201);
      for (int i = 1; i <= 20; i++) {
        call(
            "PUT",
            url + "/databases/shop/docs/users/" + i,
            "{\"Metadata\":{\"Raven-Entity-Name\":\"Users\"},\"Body\":{\"N\":" + i + "}}");
      }
      assertThat(
              call("PUT", url + "/databases/shop/attachments/images/logo.bin", "not really a logo")
                  .statusCode())
          .isEqualTo(200);
      call(
          "PUT",
          url + "/databases/shop/setup",
          "{\"LocalFolderName\":"
              + JSON.writeValueAsString(backups.toString())
              + ",\"IntervalMilliseconds\":500,"
              + "\"FullBackupIntervalMilliseconds\":3600000}");

      // The daemon's scheduler takes the first (full) backup by itself.
      JsonNode status = awaitStatus(url, process, log);
      assertThat(status.get("LastFullBackup").isNull()).isFalse();

      call("DELETE", url + "/databases/shop/docs/users/3", null);
      call("PUT", url + "/databases/shop/docs/orders/1", "{\"Body\":{\"Total\":12.5}}");
      awaitNothingLeftToBackUp(url, log);

      Run restore =
          Pbk.run(
              "smuggler",
              "in",
              url,
              backups.toString(),
              "--database=restored",
              "--source-database",
              "shop",
              "--incremental");
      assertThat(restore.exitCode()).as(restore.err()).isZero();
      assertThat(restore.out()).contains("into 'restored' at " + url);
      Path exported = temp.resolve("export/shop.json.gz");
      Files.createDirectories(exported.getParent());
      Run out = Pbk.run("smuggler", "out", url, exported.toString(), "--database=shop");
      assertThat(out.exitCode()).as(out.err()).isZero();
      Run unknown =
          Pbk.run(
              "smuggler", "out", url, temp.resolve("none.json.gz").toString(), "--database=nope");
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.err()).contains("nope");
      assertThat(temp.resolve("none.json.gz")).doesNotExist();

      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output(log)).isZero();
      try (SqliteStore store = new SqliteStore(data)) {
        DatabaseContents source = DatabaseContents.of(store.open("shop"));
        DatabaseContents restored = DatabaseContents.of(store.open("restored"));
        assertThat(source.differenceFrom(restored)).isNull();
        assertThat(restored.documents())
            .hasSize(20)
            .containsKey("orders/1")
            .doesNotContainKey("users/3");
        assertThat(restored.attachments()).containsOnlyKeys("images/logo.bin");
      }
      Run in =
          Pbk.run(
              "smuggler",
              "in",
              temp.resolve("imported").toString(),
              exported.toString(),
              "--database=copy");
      assertThat(in.exitCode()).as(in.err()).isZero();
      try (SqliteStore source = new SqliteStore(data);
          SqliteStore imported = new SqliteStore(temp.resolve("imported"))) {
        assertThat(
                DatabaseContents.of(imported.open("copy"))
                    .differenceFrom(DatabaseContents.of(source.open("shop"))))
            .isNull();
      }
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void interruptedRestoreThroughTheUrlResumesAfterTheLastAppliedFile() throws Exception {
    Path data = temp.resolve("data");
    Path backups = temp.resolve("backups");
    Path log = temp.resolve("server.log");
    // No bundle: only the explicit "back up now" calls below make files, so the chain is known.
    Process process = start(data, log, "--port", "0");
    try {
      String url = awaitUrl(process, log);
      call("POST", url + "/databases", "{\"Name\":\"shop\"}");
      call(
          "PUT",
          url + "/databases/shop/setup",
          "{\"LocalFolderName\":"
              + JSON.writeValueAsString(backups.toString())
              + ",\"IntervalMilliseconds\":3600000}");
      for (int step = 0; step < 3; step++) {
        for (int i = 1; i <= 5; i++) {
          call(
              "PUT",
              url + "/databases/shop/docs/users/" + (step * 5 + i),
              "{\"Body\":{\"Step\":" + step + "}}");
        }
        if (step == 2) {
          call("DELETE", url + "/databases/shop/docs/users/1", null);
        }
        HttpResponse<String> backup = call("POST", url + "/databases/shop/backup", null);
        assertThat(JSON.readTree(backup.body()).path("Result").asText())
            .as(backup.body())
            .isEqualTo("BACKED_UP");
      }
      List<String> chain;
      try (var files = Files.walk(backups)) {
        chain =
            files
                .filter(f -> f.toString().endsWith(".json.gz"))
                .map(f -> backups.relativize(f).toString().replace('\\', '/'))
                .sorted()
                .toList();
      }
      assertThat(chain).hasSize(3);

      // An interrupted restore: only the first file reached the server.
      HttpResponse<String> first =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          url
                              + "/databases/restored/import?name="
                              + URLEncoder.encode(chain.get(0), StandardCharsets.UTF_8)))
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofFile(backups.resolve(chain.get(0))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      JsonNode applied =
          JSON.readTree(call("GET", url + "/databases/restored/import", null).body()).get("Files");
      assertThat(applied).hasSize(1);
      assertThat(applied.get(0).get("Name").asText()).isEqualTo(chain.get(0));
      assertThat(applied.get(0).get("Database").asText()).isEqualTo("shop");

      Run resume =
          Pbk.run(
              "smuggler",
              "in",
              url,
              backups.toString(),
              "--database=restored",
              "--source-database",
              "shop",
              "--incremental");
      assertThat(resume.exitCode()).as(resume.err()).isZero();
      assertThat(resume.out())
          .contains("resuming after " + chain.get(0) + " (1 of 3 files already applied)")
          .contains("restored 2 file(s)");
      assertThat(
              JSON.readTree(call("GET", url + "/databases/restored/import", null).body())
                  .get("Files")
                  .findValuesAsText("Name"))
          .isEqualTo(chain);

      // Everything applied: a rerun sends nothing.
      Run again =
          Pbk.run(
              "smuggler",
              "in",
              url,
              backups.toString(),
              "--database=restored",
              "--source-database",
              "shop",
              "--incremental");
      assertThat(again.exitCode()).as(again.err()).isZero();
      assertThat(again.out())
          .contains("(3 of 3 files already applied)")
          .contains("restored 0 file(s)");

      // Files that are not the start of this chain: no resume, refused without --into-existing.
      HttpResponse<String> stray =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          url
                              + "/databases/mixed/import?name="
                              + URLEncoder.encode(chain.get(1), StandardCharsets.UTF_8)))
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofFile(backups.resolve(chain.get(1))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(stray.statusCode()).as(stray.body()).isEqualTo(200);
      Run refused =
          Pbk.run(
              "smuggler",
              "in",
              url,
              backups.toString(),
              "--database=mixed",
              "--source-database",
              "shop",
              "--incremental");
      assertThat(refused.exitCode()).isEqualTo(3);
      assertThat(refused.err())
          .contains("not the start of this chain")
          .contains(chain.get(1))
          .contains("--into-existing");

      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (SqliteStore store = new SqliteStore(data)) {
        DatabaseContents source = DatabaseContents.of(store.open("shop"));
        DatabaseContents restored = DatabaseContents.of(store.open("restored"));
        assertThat(source.differenceFrom(restored)).isNull();
        assertThat(restored.documents()).hasSize(14).doesNotContainKey("users/1");
      }
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void serverEncryptsWithTheKeySetThroughItsApiAndRestoresThroughItsUrlWithTheKeyGiven()
      throws Exception {
    Path data = temp.resolve("data");
    Path backups = temp.resolve("backups");
    Path log = temp.resolve("server.log");
    EncryptionKey key = EncryptionKey.generate();
    Path keyFile = Files.writeString(temp.resolve("shop.key"), key.toBase64() + "\n");
    Process process = start(data, log, "--port", "0");
    try {
      String url = awaitUrl(process, log);
      assertThat(call("POST", url + "/databases", "{\"Name\":\"shop\"}").statusCode())
          .isEqualTo(201);
      assertThat(
              call(
                      "PUT",
                      url + "/databases/shop/secured-settings/" + EncryptionKey.SETTING,
                      "{\"Value\":" + JSON.writeValueAsString(key.toBase64()) + "}")
                  .statusCode())
          .isBetween(200, 204);
      call(
          "PUT",
          url + "/databases/shop/setup",
          "{\"LocalFolderName\":" + JSON.writeValueAsString(backups.toString()) + "}");
      for (int i = 1; i <= 5; i++) {
        call("PUT", url + "/databases/shop/docs/users/" + i, "{\"Body\":{\"N\":" + i + "}}");
        HttpResponse<String> backup = call("POST", url + "/databases/shop/backup", null);
        assertThat(backup.statusCode()).as(backup.body()).isEqualTo(200);
        assertThat(backup.body()).contains(".json.gz.enc").doesNotContain(key.toBase64());
      }

      Run noKey =
          Pbk.run("smuggler", "in", url, backups.toString(), "--database=nokey", "--incremental");
      assertThat(noKey.exitCode()).isEqualTo(1);
      assertThat(noKey.err()).contains("key id " + key.keyId()).contains("--encryption-key-file");
      Run restore =
          Pbk.run(
              "smuggler",
              "in",
              url,
              backups.toString(),
              "--database=restored",
              "--incremental",
              "--encryption-key-file",
              keyFile.toString());
      assertThat(restore.exitCode()).as(restore.err()).isZero();
      assertThat(restore.out() + restore.err()).doesNotContain(key.toBase64());
      HttpResponse<String> badKey =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/databases/other/import?name=x.json.gz"))
                      .header("X-Encryption-Keys", "c2VjcmV0-not-a-key")
                      .POST(HttpRequest.BodyPublishers.ofString("x"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(badKey.statusCode()).isEqualTo(400);
      assertThat(badKey.body()).contains("X-Encryption-Keys").doesNotContain("c2VjcmV0");

      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(output(log)).doesNotContain(key.toBase64());
      try (SqliteStore store = new SqliteStore(data)) {
        assertThat(
                DatabaseContents.of(store.open("restored"))
                    .differenceFrom(DatabaseContents.of(store.open("shop"))))
            .isNull();
        assertThat(store.open("restored").documentCount()).isEqualTo(5);
      }
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private Process start(Path data, Path log, String... args) throws IOException {
    Path tmp = temp.resolve("tmp");
    Files.createDirectories(tmp);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--data-dir",
                data.toString(),
                "server"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().remove(ServerCommand.API_KEY_ENV);
    return builder.start();
  }

  private static String awaitUrl(Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      Matcher matcher = LISTENING.matcher(output(log));
      if (matcher.find()) {
        return matcher.group(1);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("pbk server did not start; its log:\n" + output(log));
  }

  private JsonNode awaitStatus(String url, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = call("GET", url + "/databases/shop/status", null);
      if (response.statusCode() == 200) {
        return JSON.readTree(response.body());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no scheduled backup within 60 s; log:\n" + output(log));
  }

  /**
   * Asks for backups until one finds nothing changed: then every change is in a file. (A 409 means
   * that the scheduler's run was in progress.)
   */
  private void awaitNothingLeftToBackUp(String url, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> now = call("POST", url + "/databases/shop/backup", null);
      assertThat(now.statusCode()).as(now.body()).isIn(200, 409);
      if (JSON.readTree(now.body()).path("Result").asText().equals("NOTHING_CHANGED")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("backups never caught up; log:\n" + output(log));
  }

  private HttpResponse<String> call(String method, String url, String json) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String output(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
