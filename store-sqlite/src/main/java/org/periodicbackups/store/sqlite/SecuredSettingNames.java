package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * Which setting names hold credentials and so must only be set as secured settings. Used by the
 * command line to refuse them as plain settings; the store itself does not enforce it, so that
 * embedders decide.
 */
public final class SecuredSettingNames {
  /** The rule, for messages. */
  public static final String RULE =
      "Raven/AWSSecretKey and names ending in SecretKey, Password"
          + " or EncryptionKey (any case) must be secured settings";

  private static final List<String> SUFFIXES = List.of("secretkey", "password", "encryptionkey");

  private SecuredSettingNames() {}

  /** Whether a setting named {@code name} may hold a credential and must be secured. */
  public static boolean mustBeSecured(String name) {
    String lower = requireNonNull(name, "name is null").toLowerCase(Locale.ROOT);
    return SUFFIXES.stream().anyMatch(lower::endsWith);
  }
}
