package org.periodicbackups.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.InvalidBackupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns failures into JSON: {@code {"Error": "…"}} with a status code, and for invalid
 * configuration also {@code "Errors": [{"Field": …, "Message": …}]} so that the Studio can show
 * each problem next to its field. Messages come from the store, the engine and the validators,
 * which never put secret values in them.
 */
final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  /** "Field: message", as the setup validators word their problems. */
  private static final Pattern FIELD_FIRST =
      Pattern.compile("([A-Z][A-Za-z0-9.]*): (.+)", Pattern.DOTALL);

  /** "unknown field 'Name'; did you mean …". */
  private static final Pattern UNKNOWN_FIELD =
      Pattern.compile("unknown field '([^']+)'.*", Pattern.DOTALL);

  private ErrorResponses() {}

  static void register(JavalinConfig config) {
    config.routes.exception(
        ApiException.class, (e, ctx) -> answer(ctx, e.status(), e.getMessage()));
    config.routes.exception(ConfigurationException.class, ErrorResponses::configuration);
    config.routes.exception(NoSuchFileException.class, (e, ctx) -> answer(ctx, 404, messageOf(e)));
    config.routes.exception(
        FileAlreadyExistsException.class, (e, ctx) -> answer(ctx, 409, messageOf(e)));
    config.routes.exception(
        InvalidBackupException.class, (e, ctx) -> answer(ctx, 422, e.getMessage()));
    config.routes.exception(
        IllegalArgumentException.class, (e, ctx) -> answer(ctx, 400, e.getMessage()));
    config.routes.exception(
        IOException.class,
        (e, ctx) -> {
          LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage());
          answer(ctx, 500, e.getMessage());
        });
    // Javalin's own (no such endpoint, a body over its limit): keep their status.
    config.routes.exception(
        HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), e.getMessage()));
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
          answer(
              ctx,
              500,
              "internal error ("
                  + e.getClass().getSimpleName()
                  + "); the server's log has the details");
        });
  }

  private static void configuration(ConfigurationException e, Context ctx) {
    ObjectNode body = JsonBodies.object();
    body.put("Error", e.getMessage());
    ArrayNode errors = body.putArray("Errors");
    for (String problem : e.problems()) {
      ObjectNode error = errors.addObject();
      Matcher fieldFirst = FIELD_FIRST.matcher(problem);
      Matcher unknown = UNKNOWN_FIELD.matcher(problem);
      if (fieldFirst.matches()) {
        error.put("Field", fieldFirst.group(1));
        error.put("Message", fieldFirst.group(2));
      } else {
        error.put("Field", unknown.matches() ? unknown.group(1) : null);
        error.put("Message", problem);
      }
    }
    write(ctx, 400, body);
  }

  /** Answers {@code {"Error": message}}. */
  static void answer(Context ctx, int status, String message) {
    ObjectNode body = JsonBodies.object();
    body.put("Error", message == null ? "request failed" : message);
    write(ctx, status, body);
  }

  private static void write(Context ctx, int status, ObjectNode body) {
    try {
      JsonBodies.write(ctx, status, body);
    } catch (IOException e) {
      ctx.status(status);
    }
  }

  /** NIO exceptions put the useful sentence in the reason, after the file name. */
  private static String messageOf(java.nio.file.FileSystemException e) {
    return e.getReason() != null ? e.getReason() : e.getMessage();
  }
}
