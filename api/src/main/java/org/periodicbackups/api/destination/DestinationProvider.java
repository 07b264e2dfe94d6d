package org.periodicbackups.api.destination;

import java.io.IOException;
import org.periodicbackups.api.config.PeriodicBackupSetup;

/**
 * Creates {@link BackupDestination}s of one kind. Found with {@link java.util.ServiceLoader} (list
 * the implementation in {@code META-INF/services/org.periodicbackups.api.destination.
 * DestinationProvider}) or contributed through Guice.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #name()} is unique among all providers; two providers with the same name make the
 *       registry fail at start, naming both classes.
 *   <li>{@link #isConfiguredBy} and {@link #precedence()} are fast and side-effect free; {@link
 *       #create} may open clients but must not transfer data.
 *   <li>Providers are stateless and thread-safe; a provider needs a public no-argument constructor
 *       to be found by {@code ServiceLoader}.
 * </ul>
 *
 * <p>Which providers receive the files is decided by the resolver in {@code core}, the same way for
 * built-in and third-party providers: among the providers whose {@link #isConfiguredBy} is true,
 * the one with the highest {@link #precedence()} (ties: the name first in alphabetical order)
 * receives each file, and a provider that {@link #keepsCopy() keeps a copy} (the local folder)
 * receives it in addition.
 *
 * <p>By convention the provider named {@code x} of this project ships in the artifact {@code
 * pbk-destination-x}; the "add the jar" hints of configuration errors rely on it.
 */
public interface DestinationProvider {

  /** The unique name, such as {@code filesystem}, {@code s3}, {@code glacier}. */
  String name();

  /** The precedence of the {@code glacier} provider: as in the original, Glacier wins over S3. */
  int GLACIER_PRECEDENCE = 2000;

  /** The precedence of the {@code s3} provider. */
  int S3_PRECEDENCE = 1000;

  /**
   * Among the providers configured at once, the one with the highest precedence receives the files.
   * Default 0. Glacier has {@value #GLACIER_PRECEDENCE} and S3 {@value #S3_PRECEDENCE}; keep
   * third-party providers below 1000 so that these rungs of the original bundle come first (a
   * higher value outranks them on purpose).
   */
  default int precedence() {
    return 0;
  }

  /**
   * Whether {@code setup} asks for this destination. Default: the {@code Destinations} object has
   * an entry named {@link #name()}; built-in providers answer for their own fields, such as {@code
   * S3BucketName}.
   */
  default boolean isConfiguredBy(PeriodicBackupSetup setup) {
    return setup.destinations().containsKey(name());
  }

  /**
   * The setup field that configures this provider, for messages such as "s3 (S3BucketName) is
   * ignored because …". Default: {@code Destinations.<name>}.
   */
  default String configuredBy() {
    return "Destinations." + name();
  }

  /**
   * Whether this provider keeps a copy of every file in addition to the one destination that wins
   * by precedence, as the local folder ({@code LocalFolderName}) does. Default false.
   */
  default boolean keepsCopy() {
    return false;
  }

  /** Creates the destination for one database; fails with a message naming the missing field. */
  BackupDestination create(DestinationContext context) throws IOException;
}
