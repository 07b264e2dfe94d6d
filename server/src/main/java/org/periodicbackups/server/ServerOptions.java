package org.periodicbackups.server;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.periodicbackups.api.ConfigurationException;

/**
 * How the server listens and what it accepts.
 *
 * @param bindAddress the address to listen on; loopback unless the operator says otherwise
 * @param port the port; 0 picks a free one (tests)
 * @param apiKey the key every request must carry in {@code X-Api-Key}, or {@code null} for none
 *     (allowed on loopback only)
 * @param maxBodyBytes the largest JSON request body
 * @param maxStreamBytes the largest streamed body: an attachment or a dump for bulk import
 */
public record ServerOptions(
    String bindAddress, int port, String apiKey, long maxBodyBytes, long maxStreamBytes) {
  /** The default port, as RavenDB's. */
  public static final int DEFAULT_PORT = 8080;

  /** The default limit of a JSON body: 16 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 16L << 20;

  /** The default limit of a streamed body: 1 GiB. */
  public static final long DEFAULT_MAX_STREAM_BYTES = 1L << 30;

  /**
   * Checks the values, and refuses to expose the API beyond this machine without a key.
   *
   * @throws ConfigurationException listing every problem
   */
  public ServerOptions {
    requireNonNull(bindAddress, "bindAddress is null");
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
    java.util.List<String> problems = new java.util.ArrayList<>();
    if (port < 0 || port > 65_535) {
      problems.add("port: " + port + " is not a port number (0 to 65535)");
    }
    if (maxBodyBytes < 1 || maxStreamBytes < 1) {
      problems.add("body limits must be positive");
    }
    if (apiKey == null && !isLoopback(bindAddress)) {
      problems.add(
          "bind: listening on "
              + bindAddress
              + " exposes the API beyond this machine;"
              + " set an API key with --api-key or $PBK_API_KEY, or bind to 127.0.0.1");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }

  /** Loopback, default port and limits, no key. */
  public static ServerOptions loopback(int port) {
    return new ServerOptions(
        "127.0.0.1", port, null, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_STREAM_BYTES);
  }

  /** Whether requests must carry an API key. */
  public boolean requiresApiKey() {
    return apiKey != null;
  }

  /** Whether {@code address} names this machine only; unknown names count as not loopback. */
  static boolean isLoopback(String address) {
    if (address.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // A name that does not resolve counts as not loopback: refusing is the safe side.
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "ServerOptions["
        + bindAddress
        + ":"
        + port
        + ", apiKey="
        + (apiKey == null ? "none" : "(set)")
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", maxStreamBytes="
        + maxStreamBytes
        + "]";
  }
}
