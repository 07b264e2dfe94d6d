package org.periodicbackups.core.guice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.destination.filesystem.FilesystemDestinationModule;
import org.periodicbackups.destination.filesystem.FilesystemDestinationProvider;

class ServiceLoaderDestinationsModuleTest {
  @TempDir Path temp;

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void contributesTheProvidersFoundOnTheClassPath() {
    Injector injector =
        Guice.createInjector(
            new PeriodicBackupModule(), ServiceLoaderDestinationsModule.onClassPath(loader));

    DestinationRegistry registry = injector.getInstance(DestinationRegistry.class);

    assertThat(registry.names()).containsExactly("filesystem");
    assertThat(registry.require("filesystem")).isInstanceOf(FilesystemDestinationProvider.class);
  }

  @Test
  void aMissingPluginsFolderMeansTheClassPathOnly() {
    Injector injector =
        Guice.createInjector(
            new PeriodicBackupModule(),
            ServiceLoaderDestinationsModule.withPlugins(loader, temp.resolve("no-plugins")));

    assertThat(injector.getInstance(DestinationRegistry.class).names())
        .containsExactly("filesystem");
  }

  @Test
  void aPluginsPathThatIsAFileFailsTheInjectorNamingIt() throws Exception {
    Path file = Files.writeString(temp.resolve("plugins"), "not a folder");

    assertThatThrownBy(
            () ->
                Guice.createInjector(
                    new PeriodicBackupModule(),
                    ServiceLoaderDestinationsModule.withPlugins(loader, file)))
        .isInstanceOf(CreationException.class)
        .hasMessageContaining(file.toAbsolutePath().toString())
        .hasMessageContaining("is a file");
  }

  @Test
  void combinedWithAnExplicitModuleForTheSameProviderItFails() {
    assertThatThrownBy(
            () ->
                Guice.createInjector(
                    new PeriodicBackupModule(),
                    ServiceLoaderDestinationsModule.onClassPath(loader),
                    new FilesystemDestinationModule()))
        .isInstanceOf(CreationException.class)
        .hasMessageContaining("\"filesystem\"");
  }
}
