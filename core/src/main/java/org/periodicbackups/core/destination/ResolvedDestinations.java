package org.periodicbackups.core.destination;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * Where the files of one setup go, as chosen by {@link DestinationResolver}.
 *
 * @param remote the one remote destination (Glacier, S3 or a third-party provider), if any
 * @param localCopy the {@code filesystem} provider when {@code LocalFolderName} is set; it keeps a
 *     copy in addition to the remote one
 * @param ignored configured providers that were outranked, each as a sentence saying why, for
 *     example {@code s3 (S3BucketName) is ignored because GlacierVaultName takes precedence}
 */
public record ResolvedDestinations(
    Optional<DestinationProvider> remote,
    Optional<DestinationProvider> localCopy,
    List<String> ignored) {

  /** Checks that at least one destination is present. */
  public ResolvedDestinations {
    requireNonNull(remote, "remote is null");
    requireNonNull(localCopy, "localCopy is null");
    ignored = List.copyOf(requireNonNull(ignored, "ignored is null"));
    if (remote.isEmpty() && localCopy.isEmpty()) {
      throw new IllegalArgumentException("at least one destination is needed");
    }
  }

  /**
   * The providers in the order files are stored: the local copy first (as the original bundle wrote
   * the local folder before uploading), then the remote destination.
   */
  public List<DestinationProvider> inUploadOrder() {
    List<DestinationProvider> order = new ArrayList<>(2);
    localCopy.ifPresent(order::add);
    remote.ifPresent(order::add);
    return List.copyOf(order);
  }
}
