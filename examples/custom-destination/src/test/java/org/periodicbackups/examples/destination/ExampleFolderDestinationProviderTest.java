package org.periodicbackups.examples.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

class ExampleFolderDestinationProviderTest {
  private static PeriodicBackupSetup withOptions(Map<String, String> options) {
    return PeriodicBackupSetup.forProvider("example-folder", options);
  }

  @Test
  void serviceLoaderFindsTheProviderByName() {
    assertThat(
            ServiceLoader.load(DestinationProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("example-folder")))
        .singleElement()
        .isInstanceOf(ExampleFolderDestinationProvider.class);
  }

  @Test
  void isConfiguredByItsDestinationsEntry(@TempDir Path folder) throws Exception {
    var provider = new ExampleFolderDestinationProvider();
    var setup = ExampleFolderDestinationProvider.setupFor(folder);

    assertThat(provider.isConfiguredBy(setup)).isTrue();
    assertThat(provider.isConfiguredBy(PeriodicBackupSetup.empty())).isFalse();
    // An entry without a folder is still this provider's: create() names the missing option.
    assertThat(provider.isConfiguredBy(withOptions(Map.of()))).isTrue();
    try (BackupDestination destination = provider.create(DestinationContext.of("shop", setup))) {
      assertThat(destination.description()).isEqualTo("example-folder " + folder.toAbsolutePath());
    }
  }

  @Test
  void aMissingFolderIsNamed() {
    var context = DestinationContext.of("shop", withOptions(Map.of()));

    assertThatThrownBy(() -> new ExampleFolderDestinationProvider().create(context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Destinations.example-folder.Folder is not set");
  }

  @Test
  void anUnknownOptionIsNamed() {
    var context = DestinationContext.of("shop", withOptions(Map.of("Fodler", "/tmp/x")));

    assertThatThrownBy(() -> new ExampleFolderDestinationProvider().create(context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Destinations.example-folder.Fodler: unknown option");
  }
}
