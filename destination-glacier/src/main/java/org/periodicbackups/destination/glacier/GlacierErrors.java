package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import org.periodicbackups.api.destination.DestinationException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glacier.model.GlacierException;
import software.amazon.awssdk.services.glacier.model.ResourceNotFoundException;

/**
 * Turns SDK exceptions into {@link DestinationException}s that say what to fix. Messages name the
 * vault and file, never credentials (AWS error messages carry none either).
 */
final class GlacierErrors {
  private static final Set<String> ACCESS_CODES = Set.of("AccessDeniedException",
      "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
      "MissingAuthenticationTokenException", "AccessDenied");

  private final GlacierDestinationConfig config;

  GlacierErrors(GlacierDestinationConfig config) {
    this.config = config;
  }

  /** Whether {@code e} says an archive, job or upload does not exist (the vault does). */
  static boolean notFound(SdkException e) {
    return (e instanceof ResourceNotFoundException
        || (e instanceof GlacierException g && g.statusCode() == 404)) && !vaultMissing(e);
  }

  /** Whether {@code e} says the vault itself does not exist ("Vault not found for ARN: …"). */
  static boolean vaultMissing(SdkException e) {
    if (!(e instanceof GlacierException g) || g.statusCode() != 404) {
      return false;
    }
    String message = g.awsErrorDetails() == null ? g.getMessage()
        : g.awsErrorDetails().errorMessage();
    return message != null && message.toLowerCase(Locale.ROOT).startsWith("vault not found");
  }

  /** {@code operation} ("upload", "retrieve", …) of {@code name} (null: vault-wide) failed. */
  IOException translate(String operation, String name, SdkException e) {
    String what = operation + (name == null ? "" : " " + name) + " in " + config.description();
    if (e instanceof GlacierException g) {
      String code = g.awsErrorDetails() == null ? null : g.awsErrorDetails().errorCode();
      String message = g.awsErrorDetails() == null ? g.getMessage()
          : g.awsErrorDetails().errorMessage();
      if (vaultMissing(e)) {
        return new DestinationException("vault '" + config.vault() + "' does not exist in region "
            + config.region() + ": create it, or check GlacierVaultName and AwsRegionEndpoint ("
            + what + ")", e);
      }
      if (ACCESS_CODES.contains(code) || g.statusCode() == 403) {
        return new DestinationException("access denied (" + what + ", AWS error " + code + "):"
            + " check Raven/AWSAccessKey and Raven/AWSSecretKey, or the vault's access policy and"
            + " the IAM permissions of these credentials", e);
      }
      return new DestinationException(what + " failed: HTTP " + g.statusCode()
          + (code == null ? "" : " " + code) + ": " + message + " (request id " + g.requestId()
          + ")", e);
    }
    if (e instanceof SdkClientException && unreachable(e)) {
      return new DestinationException("cannot reach the Glacier endpoint "
          + (config.endpoint() == null ? "of region " + config.region() : config.endpoint())
          + " (" + what + "): " + rootMessage(e) + "; check the Endpoint option, the network and"
          + " proxies", e);
    }
    return new DestinationException(what + " failed: " + e.getMessage(), e);
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
          || t.getClass().getName().endsWith("HttpHostConnectException")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
