package org.periodicbackups.destination.s3;

import java.io.IOException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

/**
 * The {@code s3} provider: configured by {@code S3BucketName}, with {@code AwsRegionEndpoint},
 * {@code S3RemoteFolderName}, the options under {@code Destinations.s3} (see {@link S3Options}) and
 * the credentials {@code Raven/AWSAccessKey} / {@code Raven/AWSSecretKey} (otherwise the AWS
 * default credentials chain). Stateless; {@link #create} opens a client but sends no request.
 */
public final class S3DestinationProvider implements DestinationProvider {

  @Override
  public String name() {
    return BuiltInDestinations.S3;
  }

  @Override
  public boolean isConfiguredBy(PeriodicBackupSetup setup) {
    return setup.s3BucketName() != null;
  }

  @Override
  public String configuredBy() {
    return "S3BucketName";
  }

  @Override
  public int precedence() {
    return S3_PRECEDENCE;
  }

  @Override
  public BackupDestination create(DestinationContext context) throws IOException {
    PeriodicBackupSetup setup = context.setup();
    S3Destination.Builder builder =
        S3Destination.builder()
            .bucket(setup.s3BucketName())
            .prefix(setup.s3RemoteFolderName())
            .waitListener(context.waitListener());
    S3Options.apply(context, builder);
    return builder.build();
  }
}
