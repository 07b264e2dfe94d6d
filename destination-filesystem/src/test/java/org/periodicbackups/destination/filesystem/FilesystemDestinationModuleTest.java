package org.periodicbackups.destination.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.DestinationProvider;

class FilesystemDestinationModuleTest {
  private static final Key<Map<String, DestinationProvider>> PROVIDERS =
      Key.get(new TypeLiteral<Map<String, DestinationProvider>>() {});

  @Test
  void contributesTheFilesystemProviderUnderItsName() {
    Injector injector = Guice.createInjector(new FilesystemDestinationModule());

    Map<String, DestinationProvider> providers = injector.getInstance(PROVIDERS);

    assertThat(providers).containsOnlyKeys("filesystem");
    assertThat(providers.get("filesystem"))
        .isInstanceOf(FilesystemDestinationProvider.class)
        .extracting(DestinationProvider::name)
        .isEqualTo("filesystem");
  }

  @Test
  void providerIsASingleton() {
    Injector injector = Guice.createInjector(new FilesystemDestinationModule());

    assertThat(injector.getInstance(PROVIDERS).get("filesystem"))
        .isSameAs(injector.getInstance(PROVIDERS).get("filesystem"));
  }

  @Test
  void installingTheModuleTwiceIsHarmless() {
    Injector injector =
        Guice.createInjector(new FilesystemDestinationModule(), new FilesystemDestinationModule());

    assertThat(injector.getInstance(PROVIDERS)).containsOnlyKeys("filesystem");
  }
}
