package org.periodicbackups.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The values of a repeatable {@code --option <provider>.<Name>=<value>}, by provider: what goes
 * into the setup document's {@code Destinations.<provider>} entries. The provider then checks the
 * names and values, as for a setup document written by hand.
 */
final class ProviderOptions {
  /** The description of {@code --option}, shared by the commands that take it. */
  static final String DESCRIPTION =
      "An option of a destination provider, Destinations.<provider>.<Name>; repeatable, checked"
          + " like the setup document (an unknown name is refused with a hint), e.g."
          + " --option s3.PartSizeMiB=64 --option glacier.RetrievalTier=Bulk";

  private ProviderOptions() {}

  /**
   * {@code options} ({@code "s3.Endpoint" -> "http://…"}) grouped by provider.
   *
   * @throws ParameterException for a key without a provider or a name
   */
  static Map<String, Map<String, String>> byProvider(
      Map<String, String> options, CommandSpec spec) {
    Map<String, Map<String, String>> byProvider = new LinkedHashMap<>();
    options.forEach(
        (key, value) -> {
          int dot = key.indexOf('.');
          if (dot <= 0 || dot == key.length() - 1) {
            throw new ParameterException(
                spec.commandLine(),
                "--option "
                    + key
                    + "="
                    + value
                    + ": write it as <provider>.<Name>=<value>, for example s3.Endpoint=http://…");
          }
          put(byProvider, key.substring(0, dot), key.substring(dot + 1), value);
        });
    return byProvider;
  }

  /** Adds {@code provider}'s option {@code name} unless {@code value} is null. */
  static void put(
      Map<String, Map<String, String>> byProvider, String provider, String name, String value) {
    if (value != null) {
      byProvider.computeIfAbsent(provider, p -> new LinkedHashMap<>()).put(name, value);
    }
  }
}
