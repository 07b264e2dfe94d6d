package org.periodicbackups.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Refuses a request without the right {@code X-Api-Key}. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the time taken says nothing about the key or its length. The
 * Studio's static files need no key (they hold no data, and a browser cannot add a header to a page
 * it navigates to); the page asks for the key and sends it with every API call.
 */
final class ApiKeyCheck implements Handler {
  static final String HEADER = "X-Api-Key";

  private final byte[] expected;

  ApiKeyCheck(String apiKey) {
    this.expected = digest(apiKey);
  }

  @Override
  public void handle(Context ctx) {
    String path = ctx.path();
    if (path.equals("/") || path.startsWith("/studio/")) {
      return;
    }
    String given = ctx.header(HEADER);
    if (given == null || !MessageDigest.isEqual(expected, digest(given))) {
      throw new ApiException(
          401,
          given == null
              ? "this server needs an API key: send it in the X-Api-Key header"
              : "the API key in X-Api-Key is wrong");
    }
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
