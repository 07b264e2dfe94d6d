package org.periodicbackups.destination.glacier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Glacier protocol server for one vault (or, with {@link #autoCreateVaults}, any vault),
 * covering what moto lacks: multipart uploads (it checks each part's Content-Range alignment and
 * tree hash, and the final size and tree hash) and archive retrieval with the tree hash header on
 * the job output. Ignores authentication (the SDK signs; the fixture does not check). Rejections
 * are recorded in {@link #problems()}.
 */
final class GlacierFixture implements AutoCloseable {
  private static final Pattern PATH =
      Pattern.compile("/[^/]+/vaults/([^/]+)/([a-z-]+)(?:/([^/]+))?(/output)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One multipart upload in progress. */
  private static final class Upload {
    final long partSize;
    final String description;
    final Map<Long, byte[]> parts = new TreeMap<>();

    Upload(long partSize, String description) {
      this.partSize = partSize;
      this.description = description;
    }
  }

  private final HttpServer server;
  private final Set<String> vaults = ConcurrentHashMap.newKeySet();
  private final Map<String, String> vaultOf = new ConcurrentHashMap<>();
  private final Map<String, String> createdAt = new ConcurrentHashMap<>();
  private final Map<String, String> inventoryJobs = new ConcurrentHashMap<>();
  private volatile boolean autoCreateVaults;
  private volatile boolean inventories = true;
  private final Map<String, byte[]> archives = new ConcurrentHashMap<>();
  private final Map<String, String> descriptions = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final Map<String, String> jobs = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> describeCalls = new ConcurrentHashMap<>();
  private final Set<String> aborted = ConcurrentHashMap.newKeySet();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<Long> partSizesSeen = new CopyOnWriteArrayList<>();
  private volatile long failPartAt = -1;
  private volatile boolean corruptOutput;
  private volatile boolean jobsStall;

  GlacierFixture(String vault) throws IOException {
    vaults.add(vault);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Serves every vault name asked for, as if it existed (one vault per compatibility test). */
  void autoCreateVaults(boolean on) {
    autoCreateVaults = on;
  }

  /** Whether inventory jobs are served; false answers as a vault that has none yet. */
  void inventories(boolean on) {
    inventories = on;
  }

  /** Answers 500 to every attempt at the part starting at {@code offset} (-1: none). */
  void failPartAt(long offset) {
    failPartAt = offset;
  }

  /** Serves job output with one byte flipped (its header still carries the true tree hash). */
  void corruptOutput(boolean corrupt) {
    corruptOutput = corrupt;
  }

  /** Leaves every retrieval job in progress forever. */
  void stallJobs(boolean stall) {
    jobsStall = stall;
  }

  Map<String, byte[]> archives() {
    return archives;
  }

  String description(String archiveId) {
    return descriptions.get(archiveId);
  }

  Set<String> aborted() {
    return aborted;
  }

  Set<String> uploadsInProgress() {
    return uploads.keySet();
  }

  List<String> problems() {
    return problems;
  }

  List<Long> partLengthsSeen() {
    return partSizesSeen;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
      if (path.matches() && autoCreateVaults) {
        vaults.add(path.group(1));
      }
      if (!path.matches() || !vaults.contains(path.group(1))) {
        error(
            exchange,
            404,
            "ResourceNotFoundException",
            "Vault not found for ARN: " + exchange.getRequestURI().getPath());
        return;
      }
      String vault = path.group(1);
      String method = exchange.getRequestMethod();
      String kind = path.group(2);
      String id = path.group(3);
      byte[] body = exchange.getRequestBody().readAllBytes();
      switch (method
          + " "
          + kind
          + (id == null ? "" : " id")
          + (path.group(4) == null ? "" : " output")) {
        case "POST archives" -> uploadArchive(vault, exchange, body);
        case "DELETE archives id" -> deleteArchive(vault, exchange, id);
        case "POST multipart-uploads" -> initiate(vault, exchange);
        case "PUT multipart-uploads id" -> part(exchange, id, body);
        case "POST multipart-uploads id" -> complete(vault, exchange, id);
        case "DELETE multipart-uploads id" -> abort(exchange, id);
        case "POST jobs" -> initiateJob(vault, exchange, body);
        case "GET jobs id" -> describeJob(vault, exchange, id);
        case "GET jobs" -> listJobs(vault, exchange);
        case "GET jobs id output" -> jobOutput(vault, exchange, id);
        default ->
            error(
                exchange,
                400,
                "InvalidParameterValueException",
                "fixture does not serve " + method + " " + exchange.getRequestURI());
      }
    } catch (RuntimeException e) {
      problems.add("fixture failure: " + e);
      throw e;
    }
  }

  private void uploadArchive(String vault, HttpExchange exchange, byte[] body) throws IOException {
    String treeHash = header(exchange, "x-amz-sha256-tree-hash");
    if (!TreeHash.hexOf(body).equals(treeHash)) {
      reject(exchange, "UploadArchive tree hash " + treeHash + " does not match the body");
      return;
    }
    String archiveId = store(vault, body, header(exchange, "x-amz-archive-description"));
    created(vault, exchange, archiveId, treeHash);
  }

  private void deleteArchive(String vault, HttpExchange exchange, String archiveId)
      throws IOException {
    if (!vault.equals(vaultOf.get(archiveId)) || archives.remove(archiveId) == null) {
      error(exchange, 404, "ResourceNotFoundException", "Archive not found: " + archiveId);
      return;
    }
    exchange.sendResponseHeaders(204, -1);
  }

  private void initiate(String vault, HttpExchange exchange) throws IOException {
    long partSize = Long.parseLong(header(exchange, "x-amz-part-size"));
    String uploadId = UUID.randomUUID().toString();
    uploads.put(uploadId, new Upload(partSize, header(exchange, "x-amz-archive-description")));
    exchange.getResponseHeaders().add("x-amz-multipart-upload-id", uploadId);
    exchange
        .getResponseHeaders()
        .add("Location", "/-/vaults/" + vault + "/multipart-uploads/" + uploadId);
    exchange.sendResponseHeaders(201, -1);
  }

  private void part(HttpExchange exchange, String uploadId, byte[] body) throws IOException {
    Upload upload = uploads.get(uploadId);
    if (upload == null) {
      error(exchange, 404, "ResourceNotFoundException", "no upload " + uploadId);
      return;
    }
    Matcher range =
        Pattern.compile("bytes (\\d+)-(\\d+)/\\*")
            .matcher(String.valueOf(header(exchange, "Content-Range")));
    if (!range.matches()) {
      reject(exchange, "bad Content-Range " + header(exchange, "Content-Range"));
      return;
    }
    long first = Long.parseLong(range.group(1));
    long last = Long.parseLong(range.group(2));
    if (first == failPartAt) {
      error(exchange, 500, "ServiceUnavailableException", "part store failure (fixture)");
      return;
    }
    if (first % upload.partSize != 0
        || last - first + 1 != body.length
        || body.length > upload.partSize) {
      reject(
          exchange,
          "part "
              + first
              + "-"
              + last
              + " ("
              + body.length
              + " bytes) is not"
              + " aligned to the part size "
              + upload.partSize);
      return;
    }
    String treeHash = header(exchange, "x-amz-sha256-tree-hash");
    if (!TreeHash.hexOf(body).equals(treeHash)) {
      reject(exchange, "part " + first + " tree hash " + treeHash + " does not match");
      return;
    }
    upload.parts.put(first, body);
    partSizesSeen.add((long) body.length);
    exchange.getResponseHeaders().add("x-amz-sha256-tree-hash", treeHash);
    exchange.sendResponseHeaders(204, -1);
  }

  private void complete(String vault, HttpExchange exchange, String uploadId) throws IOException {
    Upload upload = uploads.get(uploadId);
    if (upload == null) {
      error(exchange, 404, "ResourceNotFoundException", "no upload " + uploadId);
      return;
    }
    byte[] whole = new byte[0];
    for (Map.Entry<Long, byte[]> part : upload.parts.entrySet()) {
      if (part.getKey() != whole.length
          || (part.getValue().length != upload.partSize
              && part.getKey() + part.getValue().length
                  != Long.parseLong(header(exchange, "x-amz-archive-size")))) {
        reject(exchange, "parts are not contiguous at " + part.getKey());
        return;
      }
      whole = Arrays.copyOf(whole, whole.length + part.getValue().length);
      System.arraycopy(part.getValue(), 0, whole, part.getKey().intValue(), part.getValue().length);
    }
    long size = Long.parseLong(header(exchange, "x-amz-archive-size"));
    String treeHash = header(exchange, "x-amz-sha256-tree-hash");
    if (size != whole.length || !TreeHash.hexOf(whole).equals(treeHash)) {
      reject(
          exchange,
          "complete: size "
              + size
              + " / tree hash "
              + treeHash
              + " do not match the "
              + whole.length
              + " bytes of the parts");
      return;
    }
    uploads.remove(uploadId);
    created(vault, exchange, store(vault, whole, upload.description), treeHash);
  }

  private void abort(HttpExchange exchange, String uploadId) throws IOException {
    uploads.remove(uploadId);
    aborted.add(uploadId);
    exchange.sendResponseHeaders(204, -1);
  }

  private void initiateJob(String vault, HttpExchange exchange, byte[] body) throws IOException {
    JsonNode parameters = JSON.readTree(body);
    String archiveId = parameters.path("ArchiveId").asText();
    if ("inventory-retrieval".equals(parameters.path("Type").asText())) {
      if (!inventories) {
        // A vault without a first inventory yet (the exact AWS wording is not known here).
        error(exchange, 404, "ResourceNotFoundException", "Inventory not available yet");
        return;
      }
      String jobId = UUID.randomUUID().toString();
      inventoryJobs.put(jobId, vault);
      exchange.getResponseHeaders().add("x-amz-job-id", jobId);
      exchange.sendResponseHeaders(202, -1);
      return;
    }
    if (!"archive-retrieval".equals(parameters.path("Type").asText())) {
      reject(exchange, "fixture serves archive-retrieval jobs only");
      return;
    }
    if (!archives.containsKey(archiveId) || !vault.equals(vaultOf.get(archiveId))) {
      error(exchange, 404, "ResourceNotFoundException", "Archive not found: " + archiveId);
      return;
    }
    String jobId = UUID.randomUUID().toString();
    jobs.put(jobId, archiveId);
    exchange.getResponseHeaders().add("x-amz-job-id", jobId);
    exchange.getResponseHeaders().add("Location", "/-/vaults/" + vault + "/jobs/" + jobId);
    exchange.sendResponseHeaders(202, -1);
  }

  private static Map<String, Object> archiveJob(String jobId, String archiveId, boolean done) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("JobId", jobId);
    job.put("Action", "ArchiveRetrieval");
    job.put("ArchiveId", archiveId);
    job.put("Completed", done);
    job.put("StatusCode", done ? "Succeeded" : "InProgress");
    return job;
  }

  /** The archive-retrieval jobs of {@code vault}, in the state a describe would report now. */
  private void listJobs(String vault, HttpExchange exchange) throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    jobs.forEach(
        (jobId, archiveId) -> {
          if (vault.equals(vaultOf.get(archiveId))) {
            boolean done =
                describeCalls.computeIfAbsent(jobId, k -> new AtomicInteger()).get() > 1
                    && !jobsStall;
            list.add(archiveJob(jobId, archiveId, done));
          }
        });
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("JobList", list);
    answer.put("Marker", null);
    json(exchange, 200, answer);
  }

  private void describeJob(String vault, HttpExchange exchange, String jobId) throws IOException {
    if (inventoryJobs.containsKey(jobId)) {
      json(
          exchange,
          200,
          Map.of(
              "JobId",
              jobId,
              "Action",
              "InventoryRetrieval",
              "Completed",
              true,
              "StatusCode",
              "Succeeded"));
      return;
    }
    String archiveId = jobs.get(jobId);
    if (archiveId == null) {
      error(exchange, 404, "ResourceNotFoundException", "Job not found: " + jobId);
      return;
    }
    // The first check finds the job still running, so waiting is exercised.
    boolean done =
        describeCalls.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet() > 1
            && !jobsStall;
    Map<String, Object> job = archiveJob(jobId, archiveId, done);
    job.put("ArchiveSizeInBytes", archives.get(archiveId).length);
    job.put("SHA256TreeHash", TreeHash.hexOf(archives.get(archiveId)));
    json(exchange, 200, job);
  }

  private void jobOutput(String vault, HttpExchange exchange, String jobId) throws IOException {
    if (inventoryJobs.containsKey(jobId)) {
      List<Map<String, Object>> list = new ArrayList<>();
      archives.forEach(
          (id, data) -> {
            if (vault.equals(vaultOf.get(id))) {
              list.add(
                  Map.of(
                      "ArchiveId",
                      id,
                      "ArchiveDescription",
                      descriptions.getOrDefault(id, ""),
                      "CreationDate",
                      createdAt.get(id),
                      "Size",
                      data.length,
                      "SHA256TreeHash",
                      TreeHash.hexOf(data)));
            }
          });
      json(
          exchange,
          200,
          Map.of("VaultARN", "arn:aws:glacier:us-east-1:0:vaults/" + vault, "ArchiveList", list));
      return;
    }
    byte[] data = archives.get(jobs.get(jobId)).clone();
    exchange.getResponseHeaders().add("x-amz-sha256-tree-hash", TreeHash.hexOf(data));
    exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
    if (corruptOutput && data.length > 0) {
      data[data.length / 2] ^= 1;
    }
    exchange.sendResponseHeaders(200, data.length == 0 ? -1 : data.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(data);
    }
  }

  private String store(String vault, byte[] data, String description) {
    String archiveId = UUID.randomUUID().toString().replace("-", "");
    vaultOf.put(archiveId, vault);
    createdAt.put(archiveId, Instant.now().toString());
    archives.put(archiveId, data);
    if (description != null) {
      descriptions.put(archiveId, description);
    }
    return archiveId;
  }

  private void created(String vault, HttpExchange exchange, String archiveId, String treeHash)
      throws IOException {
    exchange.getResponseHeaders().add("x-amz-archive-id", archiveId);
    exchange.getResponseHeaders().add("x-amz-sha256-tree-hash", treeHash);
    exchange.getResponseHeaders().add("Location", "/-/vaults/" + vault + "/archives/" + archiveId);
    exchange.sendResponseHeaders(201, -1);
  }

  private void reject(HttpExchange exchange, String problem) throws IOException {
    problems.add(problem);
    error(exchange, 400, "InvalidParameterValueException", problem);
  }

  private static String header(HttpExchange exchange, String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    exchange.getResponseHeaders().add("x-amzn-ErrorType", code);
    json(
        exchange,
        status,
        Map.of("code", code, "message", message, "type", status >= 500 ? "Server" : "Client"));
  }

  private static void json(HttpExchange exchange, int status, Object value) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(value);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
