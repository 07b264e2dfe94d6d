package org.periodicbackups.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.dump.EncryptionKeys;

/**
 * The few calls {@code smuggler in http://…} makes to a running {@code pbk server}: look up or
 * create the target database, list the files its bulk import already applied, and stream dump files
 * to the bulk import. Failures are {@link IOException}s carrying the server's own message.
 */
public final class ServerClient {
  private final String baseUrl;
  private final String apiKey;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /**
   * @param baseUrl the server, e.g. {@code http://127.0.0.1:8080}
   * @param apiKey its API key, or {@code null}
   */
  public ServerClient(String baseUrl, String apiKey) {
    String url = requireNonNull(baseUrl, "baseUrl is null");
    this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
  }

  /** The database's description ({@code Name, Documents, Attachments, …}), if it exists. */
  public Optional<JsonNode> database(String name) throws IOException {
    HttpResponse<String> response = send(request("/databases/" + encode(name)).GET());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(check(response, "read database '" + name + "'"));
  }

  /** Creates an empty database. */
  public void createDatabase(String name) throws IOException {
    String body = JsonBodies.MAPPER.writeValueAsString(JsonBodies.object().put("Name", name));
    check(
        send(
            request("/databases")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))),
        "create database '" + name + "'");
  }

  /**
   * Streams one dump file to the bulk import of {@code database}; answers the server's counts
   * ({@code Documents, Attachments, Deletions, ToEtag}).
   *
   * @param content opens the file's bytes; called once per attempt
   */
  public JsonNode importFile(String database, String storedName, IoSupplier content)
      throws IOException {
    return importFile(database, storedName, content, EncryptionKeys.none());
  }

  /**
   * Imports one dump file as above; an encrypted one is read by the server with {@code keys} (sent
   * in a request header, for this request only) or the target database's own key.
   */
  public JsonNode importFile(
      String database, String storedName, IoSupplier content, EncryptionKeys keys)
      throws IOException {
    HttpRequest.Builder request =
        request("/databases/" + encode(database) + "/import?name=" + encode(storedName))
            .header("Content-Type", "application/octet-stream");
    if (!keys.isEmpty()) {
      request.header(
          ImportRoutes.KEYS_HEADER,
          keys.all().stream()
              .map(EncryptionKey::toBase64)
              .collect(java.util.stream.Collectors.joining(",")));
    }
    request.POST(
        HttpRequest.BodyPublishers.ofInputStream(
            () -> {
              try {
                return content.open();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }));
    return check(send(request), "import " + storedName + " into '" + database + "'");
  }

  /**
   * Saves a full dump of {@code database} (one snapshot of it) to {@code file}, through a temporary
   * file next to it, so that a failed download leaves no partial file.
   */
  public void exportTo(String database, Path file) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".part");
    try {
      HttpResponse<Path> response =
          http.send(
              request("/databases/" + encode(database) + "/export").GET().build(),
              HttpResponse.BodyHandlers.ofFile(partial));
      if (response.statusCode() >= 300) {
        String body = Files.readString(partial);
        check(response.statusCode(), body, "export '" + database + "'");
      }
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + baseUrl, e);
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach pbk server at " + baseUrl + "; is it running?", e);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * The files the bulk import of {@code database} applied in full, in order; empty if the database
   * does not exist or nothing was imported into it.
   */
  public List<ImportedFile> importedFiles(String database) throws IOException {
    HttpResponse<String> response =
        send(request("/databases/" + encode(database) + "/import").GET());
    if (response.statusCode() == 404) {
      return List.of();
    }
    List<ImportedFile> files = new ArrayList<>();
    for (JsonNode file :
        check(response, "list the files imported into '" + database + "'").path("Files")) {
      files.add(
          new ImportedFile(
              file.path("Name").asText(),
              file.path("Sha256").asText(),
              file.path("Database").asText(),
              file.path("ToEtag").asLong()));
    }
    return List.copyOf(files);
  }

  /**
   * One file the bulk import applied in full.
   *
   * @param name its stored name, as sent in {@code ?name=}
   * @param sha256 the SHA-256 of the bytes received, lower-case hex
   * @param database the source database named in its header
   * @param toEtag the last source etag it covers
   */
  public record ImportedFile(String name, String sha256, String database, long toEtag) {}

  /** Opens a stream; may throw {@link IOException}. */
  @FunctionalInterface
  public interface IoSupplier {
    /** Opens the content. */
    InputStream open() throws IOException;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
    if (apiKey != null) {
      builder.header(ApiKeyCheck.HEADER, apiKey);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + baseUrl, e);
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach pbk server at " + baseUrl + "; is it running?", e);
    }
  }

  private JsonNode check(HttpResponse<String> response, String what) throws IOException {
    return check(response.statusCode(), response.body(), what);
  }

  private JsonNode check(int status, String text, String what) throws IOException {
    JsonNode body;
    try {
      body = text.isEmpty() ? JsonBodies.object() : JsonBodies.MAPPER.readTree(text);
    } catch (IOException e) {
      body = JsonBodies.object();
    }
    if (status >= 300) {
      String error = body.path("Error").asText("HTTP " + status);
      throw new IOException(baseUrl + ": could not " + what + ": " + error);
    }
    return body;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
