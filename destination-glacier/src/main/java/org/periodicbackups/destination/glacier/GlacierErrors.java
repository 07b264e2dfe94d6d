package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.util.Locale;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.aws.AwsErrors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glacier.model.GlacierException;
import software.amazon.awssdk.services.glacier.model.ResourceNotFoundException;

/**
 * Turns SDK exceptions into {@link DestinationException}s that say what to fix: Glacier's own
 * answers (a missing vault, archive or job) here, the failures every AWS service shares in {@link
 * AwsErrors}. Messages name the vault and file, never credentials.
 */
final class GlacierErrors {
  private final GlacierDestinationConfig config;
  private final AwsErrors aws;

  GlacierErrors(GlacierDestinationConfig config) {
    this.config = config;
    this.aws = new AwsErrors("Glacier", config.aws());
  }

  /** Whether {@code e} says an archive, job or upload does not exist (the vault does). */
  static boolean notFound(SdkException e) {
    return (e instanceof ResourceNotFoundException
            || (e instanceof GlacierException g && g.statusCode() == 404))
        && !vaultMissing(e);
  }

  /** Whether {@code e} says the vault itself does not exist ("Vault not found for ARN: …"). */
  static boolean vaultMissing(SdkException e) {
    if (!(e instanceof GlacierException g) || g.statusCode() != 404) {
      return false;
    }
    String message =
        g.awsErrorDetails() == null ? g.getMessage() : g.awsErrorDetails().errorMessage();
    return message != null && message.toLowerCase(Locale.ROOT).startsWith("vault not found");
  }

  /** {@code operation} ("upload", "retrieve", …) of {@code name} (null: vault-wide) failed. */
  IOException translate(String operation, String name, SdkException e) {
    String what = operation + (name == null ? "" : " " + name) + " in " + config.description();
    if (vaultMissing(e)) {
      return new DestinationException(
          "vault '"
              + config.vault()
              + "' does not exist in region "
              + config.region()
              + ": create it, or check GlacierVaultName and AwsRegionEndpoint ("
              + what
              + ")",
          e);
    }
    return aws.translate(
        "the " + what, "vault '" + config.vault() + "'", "the vault's access policy", e);
  }
}
