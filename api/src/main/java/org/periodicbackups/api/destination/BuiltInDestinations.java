package org.periodicbackups.api.destination;

/** Names of the built-in providers, as used by the resolver's precedence rule. */
public final class BuiltInDestinations {
  /** The local folder ({@code LocalFolderName}); keeps a copy in addition to the remote one. */
  public static final String FILESYSTEM = "filesystem";
  /** Amazon S3 and S3-compatible stores ({@code S3BucketName}). */
  public static final String S3 = "s3";
  /** Amazon Glacier vaults ({@code GlacierVaultName}); wins over S3. */
  public static final String GLACIER = "glacier";

  private BuiltInDestinations() {}

  /** The module that provides {@code name}, for "add the … jar" hints; null if not built in. */
  public static String moduleOf(String name) {
    return switch (name) {
      case FILESYSTEM -> "pbk-destination-filesystem";
      case S3 -> "pbk-destination-s3";
      case GLACIER -> "pbk-destination-glacier";
      default -> null;
    };
  }
}
