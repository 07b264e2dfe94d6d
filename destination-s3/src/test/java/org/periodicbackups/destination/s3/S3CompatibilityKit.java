package org.periodicbackups.destination.s3;

import java.util.Set;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.tck.DestinationCompatibilityKit;

/**
 * The compatibility kit for the {@code s3} provider against one {@link S3Target}: each test's setup
 * document names the target's bucket and endpoint with the isolated prefix as {@code
 * S3RemoteFolderName}, the credentials are database settings, and the secret key is a secret for
 * R1.3. Subclasses say which target, as {@link S3DestinationContract}'s do.
 */
abstract class S3CompatibilityKit extends DestinationCompatibilityKit {

  /** The service and bucket under test; called from the kit's {@code @BeforeEach}. */
  abstract S3Target target();

  @Override
  protected String providerName() {
    return BuiltInDestinations.S3;
  }

  @Override
  protected PeriodicBackupSetup setupFor(String isolatedPrefix) {
    return target().setup(isolatedPrefix);
  }

  @Override
  protected DestinationContext contextFor(PeriodicBackupSetup setup) {
    return target().context(setup);
  }

  @Override
  protected Set<String> secrets() {
    return Set.of(target().secretKey());
  }
}
