package org.periodicbackups.api.destination;

/**
 * Names of the providers of this project (each in the artifact {@code pbk-destination-<name>}), as
 * the setup document's own fields ask for them.
 */
public final class BuiltInDestinations {
  /** The local folder ({@code LocalFolderName}); keeps a copy in addition to the remote one. */
  public static final String FILESYSTEM = "filesystem";

  /** Amazon S3 and S3-compatible stores ({@code S3BucketName}). */
  public static final String S3 = "s3";

  /** Amazon Glacier vaults ({@code GlacierVaultName}); wins over S3. */
  public static final String GLACIER = "glacier";

  private BuiltInDestinations() {}

  /** The artifact that ships the provider named {@code name}, by the project's convention. */
  public static String artifactOf(String name) {
    return "pbk-destination-" + name;
  }
}
