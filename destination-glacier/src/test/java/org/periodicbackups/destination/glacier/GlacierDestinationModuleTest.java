package org.periodicbackups.destination.glacier;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.guice.PeriodicBackupModule;

class GlacierDestinationModuleTest {
  @Test
  void periodicBackupModuleRegistersTheGlacierProviderAndTheVaultResolvesToIt() {
    Injector injector =
        Guice.createInjector(new PeriodicBackupModule(), new GlacierDestinationModule());

    DestinationRegistry registry = injector.getInstance(DestinationRegistry.class);
    PeriodicBackupSetup setup =
        PeriodicBackupSetup.builder()
            .glacierVaultName("vault")
            .intervalMilliseconds(3_600_000L)
            .build();

    assertThat(registry.names()).containsExactly("glacier");
    assertThat(registry.require("glacier"))
        .isInstanceOf(GlacierDestinationProvider.class)
        .isSameAs(injector.getInstance(DestinationRegistry.class).require("glacier"));
    assertThat(injector.getInstance(DestinationResolver.class).resolve(setup).remote())
        .containsSame(registry.require("glacier"));
  }
}
