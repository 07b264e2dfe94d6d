package org.periodicbackups.destination.glacier;

import java.io.IOException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * The {@code glacier} provider: configured by {@code GlacierVaultName}, with {@code
 * AwsRegionEndpoint}, the options under {@code Destinations.glacier} (see {@link GlacierOptions})
 * and the credentials {@code Raven/AWSAccessKey} / {@code Raven/AWSSecretKey} (otherwise the AWS
 * default credentials chain). Stateless; {@link #create} opens a client but sends no request.
 */
public final class GlacierDestinationProvider implements DestinationProvider {

  @Override
  public String name() {
    return BuiltInDestinations.GLACIER;
  }

  @Override
  public boolean isConfiguredBy(PeriodicBackupSetup setup) {
    return setup.glacierVaultName() != null;
  }

  @Override
  public String configuredBy() {
    return "GlacierVaultName";
  }

  @Override
  public int precedence() {
    return GLACIER_PRECEDENCE;
  }

  @Override
  public BackupDestination create(DestinationContext context) throws IOException {
    GlacierDestinationBuilder builder =
        GlacierDestination.builder()
            .vault(context.setup().glacierVaultName())
            .waitListener(context.waitListener());
    GlacierOptions.apply(context, builder);
    return builder.build();
  }
}
