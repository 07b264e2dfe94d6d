package org.periodicbackups.destination.glacier;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.tck.DestinationCompatibilityKit;

/**
 * The compatibility kit against {@link GlacierFixture}: one vault per test, so each fresh
 * destination starts with an inventory job of an empty vault.
 */
class GlacierCompatibilityTest extends DestinationCompatibilityKit {
  private static final String SECRET = "tck-glacier-secret";
  private static GlacierFixture fixture;

  @BeforeAll
  static void start() throws IOException {
    fixture = new GlacierFixture("unused");
    fixture.autoCreateVaults(true);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Override
  protected String providerName() {
    return BuiltInDestinations.GLACIER;
  }

  @Override
  protected PeriodicBackupSetup setupFor(String isolatedPrefix) {
    return PeriodicBackupSetup.builder()
        .glacierVaultName(isolatedPrefix)
        .destination(
            "glacier",
            Map.of(
                "Endpoint",
                fixture.endpoint().toString(),
                "PollSeconds",
                "0.05",
                "PartSizeMiB",
                "1",
                "RetrievalTimeoutMinutes",
                "1"))
        .build();
  }

  @Override
  protected DestinationContext contextFor(PeriodicBackupSetup setup) {
    Map<String, String> settings =
        Map.of("Raven/AWSAccessKey", "tck-glacier-key", "Raven/AWSSecretKey", SECRET);
    return new DestinationContext("tck", setup, name -> Optional.ofNullable(settings.get(name)));
  }

  @Override
  protected Set<String> secrets() {
    return Set.of(SECRET);
  }

  @Override
  protected Duration maxReadWait() {
    return Duration.ofSeconds(20);
  }
}
