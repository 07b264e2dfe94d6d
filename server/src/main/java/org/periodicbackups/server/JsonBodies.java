package org.periodicbackups.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads and writes the API's JSON, with the body size limits of {@link ServerOptions}. */
final class JsonBodies {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final long maxBodyBytes;
  private final long maxStreamBytes;

  JsonBodies(ServerOptions options) {
    this.maxBodyBytes = options.maxBodyBytes();
    this.maxStreamBytes = options.maxStreamBytes();
  }

  /** The body as a JSON object, refused with 413 past the limit and 400 when it is not one. */
  ObjectNode object(Context ctx) throws IOException {
    String text = text(ctx);
    JsonNode node;
    try {
      node = text.isBlank() ? null : MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "the request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object {…}");
    }
    return (ObjectNode) node;
  }

  /** The body as text, at most the JSON limit. */
  String text(Context ctx) throws IOException {
    try (InputStream in = limited(ctx, maxBodyBytes)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The body as a stream of at most the streaming limit (attachments, dumps). */
  InputStream stream(Context ctx) throws IOException {
    return limited(ctx, maxStreamBytes);
  }

  private static InputStream limited(Context ctx, long limit) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(limit);
    }
    return new LimitedInputStream(ctx.req().getInputStream(), limit);
  }

  static ApiException tooLarge(long limit) {
    return new ApiException(
        413,
        "the request body is larger than the limit of "
            + limit
            + " bytes; the server's limits are set with --max-body-size and --max-stream-size");
  }

  /** Answers {@code value} as JSON with {@code status}. */
  static void write(Context ctx, int status, Object value) throws IOException {
    ctx.status(status)
        .contentType("application/json")
        .result(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
  }

  /** A fresh JSON object to fill in. */
  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A stored JSON text as a tree, to embed it in a response. */
  static JsonNode tree(String json) throws IOException {
    return json == null ? MAPPER.nullNode() : MAPPER.readTree(json);
  }

  /** An optional field of {@code body} as text. */
  static String optionalText(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiException.badRequest(field + ": must be a string");
    }
    return value.asText();
  }

  /** A JSON value (object) of {@code body} written as compact text; {@code {}} when absent. */
  static String objectText(JsonNode body, String field) throws IOException {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return "{}";
    }
    if (!value.isObject()) {
      throw ApiException.badRequest(field + ": must be a JSON object {…}");
    }
    return MAPPER.writeValueAsString(value);
  }
}
