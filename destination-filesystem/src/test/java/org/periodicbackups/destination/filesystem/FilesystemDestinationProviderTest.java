package org.periodicbackups.destination.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;

class FilesystemDestinationProviderTest {

  @Test
  void serviceLoaderFindsTheProviderByName() {
    assertThat(
            ServiceLoader.load(DestinationProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("filesystem")))
        .singleElement()
        .isInstanceOf(FilesystemDestinationProvider.class);
  }

  @Test
  void keepsACopyInAdditionToTheRemoteDestination() {
    var provider = new FilesystemDestinationProvider();

    assertThat(provider.keepsCopy()).isTrue();
    assertThat(provider.configuredBy()).isEqualTo("LocalFolderName");
  }

  @Test
  void isConfiguredByLocalFolderName(@TempDir Path folder) throws Exception {
    var provider = new FilesystemDestinationProvider();
    var setup = PeriodicBackupSetup.localFolder(folder.toString(), 1000L);

    assertThat(provider.isConfiguredBy(setup)).isTrue();
    assertThat(provider.isConfiguredBy(PeriodicBackupSetup.empty())).isFalse();
    try (BackupDestination destination = provider.create(DestinationContext.of("shop", setup))) {
      assertThat(destination).isInstanceOf(FilesystemDestination.class);
      assertThat(destination.description()).isEqualTo(folder.toAbsolutePath().toString());
    }
  }

  @Test
  void createWithoutLocalFolderNameNamesTheField() {
    var context = DestinationContext.of("shop", PeriodicBackupSetup.empty());

    assertThatThrownBy(() -> new FilesystemDestinationProvider().create(context))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LocalFolderName");
  }
}
