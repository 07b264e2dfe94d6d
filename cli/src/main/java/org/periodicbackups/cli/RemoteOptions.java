package org.periodicbackups.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext.SettingsReader;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How to reach a remote backup source such as {@code s3://bucket/prefix} or {@code
 * glacier://vault}: region, endpoint of an S3-compatible store, Glacier retrieval settings, and
 * credentials. The secret key is never taken from the command line: it comes from {@code
 * $PBK_AWS_SECRET_KEY} or a file; without an access key the AWS default credentials chain applies
 * ({@code AWS_ACCESS_KEY_ID}, profiles, instance roles…).
 */
final class RemoteOptions {
  @Option(
      names = "--region",
      paramLabel = "<region>",
      description = "AWS region of the bucket (default: us-east-1).")
  String region;

  @Option(
      names = "--endpoint",
      paramLabel = "<url>",
      description =
          "Endpoint of an S3-compatible store (MinIO, Ceph, moto; path-style access), or of a"
              + " Glacier service other than AWS's (moto).")
  String endpoint;

  @Option(
      names = "--retrieval-tier",
      paramLabel = "<tier>",
      description = "Glacier retrieval tier: Expedited, Standard (default) or Bulk.")
  String retrievalTier;

  @Option(
      names = "--retrieval-timeout",
      paramLabel = "<minutes>",
      description = "How long to wait for a Glacier retrieval or inventory job (default 720).")
  Integer retrievalTimeoutMinutes;

  @Option(
      names = "--aws-access-key",
      paramLabel = "<id>",
      description =
          "Access key id; the secret comes from $PBK_AWS_SECRET_KEY or" + " --aws-secret-key-file.")
  String accessKey;

  @Option(
      names = "--aws-secret-key-file",
      paramLabel = "<file>",
      description = "A file whose first line is the secret access key.")
  Path secretKeyFile;

  @Option(
      names = "--option",
      paramLabel = "<provider.Name=value>",
      description = ProviderOptions.DESCRIPTION)
  Map<String, String> options = new LinkedHashMap<>();

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Options for the provider's {@code Destinations.<name>} entry beyond the endpoint. */
  Map<String, String> providerOptions(String provider) {
    Map<String, String> options =
        new LinkedHashMap<>(
            ProviderOptions.byProvider(this.options, spec).getOrDefault(provider, Map.of()));
    if (provider.equals(BuiltInDestinations.GLACIER)) {
      if (retrievalTier != null) {
        options.put("RetrievalTier", retrievalTier);
      }
      if (retrievalTimeoutMinutes != null) {
        options.put("RetrievalTimeoutMinutes", retrievalTimeoutMinutes.toString());
        options.put("InventoryTimeoutMinutes", retrievalTimeoutMinutes.toString());
      }
    }
    return options;
  }

  /** Settings as a destination reads them: {@code Raven/AWSAccessKey}, {@code …SecretKey}. */
  SettingsReader settings() {
    return name ->
        switch (name) {
          case "Raven/AWSAccessKey" -> Optional.ofNullable(accessKey);
          case "Raven/AWSSecretKey" -> accessKey == null ? Optional.empty() : secretKey();
          default -> Optional.empty();
        };
  }

  private Optional<String> secretKey() throws IOException {
    if (secretKeyFile != null) {
      return Files.readAllLines(secretKeyFile, StandardCharsets.UTF_8).stream()
          .findFirst()
          .map(String::strip);
    }
    return Optional.ofNullable(System.getenv("PBK_AWS_SECRET_KEY"));
  }
}
