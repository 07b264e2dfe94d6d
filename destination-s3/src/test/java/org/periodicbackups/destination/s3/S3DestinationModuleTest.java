package org.periodicbackups.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.guice.PeriodicBackupModule;

class S3DestinationModuleTest {
  private static final Key<Map<String, DestinationProvider>> PROVIDERS =
      Key.get(new TypeLiteral<Map<String, DestinationProvider>>() {});

  @Test
  void contributesTheS3ProviderUnderItsName() {
    Injector injector = Guice.createInjector(new S3DestinationModule());

    Map<String, DestinationProvider> providers = injector.getInstance(PROVIDERS);

    assertThat(providers).containsOnlyKeys("s3");
    assertThat(providers.get("s3"))
        .isInstanceOf(S3DestinationProvider.class)
        .extracting(DestinationProvider::name)
        .isEqualTo("s3");
  }

  @Test
  void providerIsASingleton() {
    Injector injector = Guice.createInjector(new S3DestinationModule());

    assertThat(injector.getInstance(PROVIDERS).get("s3"))
        .isSameAs(injector.getInstance(PROVIDERS).get("s3"));
  }

  @Test
  void installingTheModuleTwiceIsHarmless() {
    Injector injector = Guice.createInjector(new S3DestinationModule(), new S3DestinationModule());

    assertThat(injector.getInstance(PROVIDERS)).containsOnlyKeys("s3");
  }

  @Test
  void periodicBackupModuleRegistersTheS3Provider() {
    Injector injector = Guice.createInjector(new PeriodicBackupModule(), new S3DestinationModule());

    DestinationRegistry registry = injector.getInstance(DestinationRegistry.class);

    assertThat(registry.names()).containsExactly("s3");
    assertThat(registry.require("s3")).isSameAs(injector.getInstance(PROVIDERS).get("s3"));
  }

  @Test
  void resolverSendsAnS3SetupToTheS3Provider() {
    Injector injector = Guice.createInjector(new PeriodicBackupModule(), new S3DestinationModule());
    PeriodicBackupSetup setup =
        PeriodicBackupSetup.builder()
            .s3BucketName("acme-backups")
            .s3RemoteFolderName("prod")
            .build();

    assertThat(injector.getInstance(DestinationResolver.class).resolve(setup).remote())
        .containsSame(injector.getInstance(DestinationRegistry.class).require("s3"));
  }
}
