package org.periodicbackups.api.destination;

import java.io.IOException;
import org.periodicbackups.api.config.PeriodicBackupSetup;

/**
 * Creates {@link BackupDestination}s of one kind. Found with {@link java.util.ServiceLoader}
 * (list the implementation in {@code META-INF/services/org.periodicbackups.api.destination.
 * DestinationProvider}) or contributed through Guice.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #name()} is unique among all providers; two providers with the same name make the
 *       registry fail at start, naming both classes.
 *   <li>{@link #isConfiguredBy} and {@link #precedence()} are fast and side-effect free;
 *       {@link #create} may open clients but must not transfer data.
 *   <li>Providers are stateless and thread-safe; a provider needs a public no-argument
 *       constructor to be found by {@code ServiceLoader}.
 * </ul>
 *
 * <p>Which provider receives the files is decided by the resolver in {@code core}: a Glacier vault
 * first, then an S3 bucket, then other configured providers by descending {@link #precedence()};
 * exactly one of those receives each file, and the local folder keeps a copy in addition.
 */
public interface DestinationProvider {

  /** The unique name, such as {@code filesystem}, {@code s3}, {@code glacier}. */
  String name();

  /**
   * Among third-party providers configured at once, the higher precedence wins. The built-in
   * rule (Glacier over S3 over the others) does not depend on this value.
   */
  default int precedence() {
    return 0;
  }

  /**
   * Whether {@code setup} asks for this destination, for example {@code S3BucketName} is set, or
   * the {@code Destinations} object has an entry named {@link #name()}.
   */
  boolean isConfiguredBy(PeriodicBackupSetup setup);

  /** Creates the destination for one database; fails with a message naming the missing field. */
  BackupDestination create(DestinationContext context) throws IOException;
}
