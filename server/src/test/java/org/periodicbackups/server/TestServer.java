package org.periodicbackups.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.scheduler.BundleActivation;
import org.periodicbackups.store.sqlite.SqliteStore;

/** A server on an ephemeral loopback port over a store in a temporary folder, and a client. */
final class TestServer implements AutoCloseable {
  final SqliteStore store;
  final PbkServer server;
  final String baseUrl;
  private final String apiKey;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TestServer(Path folder, ServerOptions options, BundleActivation activation) throws IOException {
    this.store = new SqliteStore(folder.resolve("data"));
    DestinationResolver resolver =
        new DestinationResolver(DestinationRegistry.discover(getClass().getClassLoader()));
    BackupEngine engine = new BackupEngine(resolver, folder.resolve("work"), Clock.systemUTC());
    this.server =
        PbkServer.start(
            options, new ServerContext(store, engine, resolver, activation, DatabaseEvents.NONE));
    this.baseUrl = "http://127.0.0.1:" + server.port();
    this.apiKey = options.apiKey();
  }

  static TestServer loopback(Path folder) throws IOException {
    return new TestServer(folder, ServerOptions.loopback(0), BundleActivation.perDatabase());
  }

  HttpResponse<String> send(String method, String path, String json) throws IOException {
    return send(method, path, json, apiKey);
  }

  HttpResponse<String> send(String method, String path, String json, String key)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("X-Api-Key", key);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  HttpResponse<byte[]> sendBytes(String method, String path, byte[] body, String... headers)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    store.close();
  }
}
