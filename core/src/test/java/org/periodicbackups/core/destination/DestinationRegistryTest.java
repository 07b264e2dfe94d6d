package org.periodicbackups.core.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.destination.DestinationProvider;

class DestinationRegistryTest {
  private final ClassLoader classPath = getClass().getClassLoader();

  @TempDir Path temp;

  @Test
  void findsProvidersByNameAndListsThemSorted() {
    var s3 = new TestProvider("s3", 0);
    var filesystem = new TestProvider("filesystem", 0);
    DestinationRegistry registry = DestinationRegistry.of(List.of(s3, filesystem));

    assertThat(registry.names()).containsExactly("filesystem", "s3");
    assertThat(registry.providers()).containsExactly(filesystem, s3);
    assertThat(registry.find("s3")).containsSame(s3);
    assertThat(registry.find("glacier")).isEmpty();
    assertThat(registry.require("filesystem")).isSameAs(filesystem);
  }

  @Test
  void unknownNamesListTheKnownOnesAndTheJarToAdd() {
    DestinationRegistry registry =
        DestinationRegistry.of(
            List.of(new TestProvider("s3", 0), new TestProvider("filesystem", 0)));

    assertThatThrownBy(() -> registry.require("sftp"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "destination 'sftp' not found; known: [filesystem, s3]; add the jar that"
                + " provides it to the plugins folder (this project's own destinations are the"
                + " pbk-destination-<name> jars)");
  }

  @Test
  void duplicateNamesFailNamingBothClasses() {
    assertThatThrownBy(
            () ->
                DestinationRegistry.of(
                    List.of(new TestProvider("sftp", 0), new TestProvider.Other("sftp"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("destination 'sftp' is provided twice")
        .hasMessageContaining(TestProvider.class.getName())
        .hasMessageContaining(TestProvider.Other.class.getName());
  }

  @Test
  void discoversClassPathProviders() {
    DestinationRegistry registry = DestinationRegistry.discover(classPath);

    assertThat(registry.require("filesystem").getClass().getName())
        .isEqualTo("org.periodicbackups.destination.filesystem.FilesystemDestinationProvider");
  }

  @Test
  void discoversProvidersInThePluginsFolder() throws IOException {
    Path plugins = temp.resolve("plugins");
    PluginJars.provider(temp.resolve("work"), plugins.resolve("sftp.jar"), "SftpProvider", "sftp");
    Files.writeString(plugins.resolve("README.txt"), "not a jar, not loaded");

    DestinationRegistry registry = DestinationRegistry.discover(classPath, plugins);

    assertThat(registry.names()).contains("filesystem", "sftp");
    DestinationProvider sftp = registry.require("sftp");
    assertThat(sftp.getClass().getName()).isEqualTo("plugin.SftpProvider");
    assertThat(sftp.getClass().getClassLoader()).isNotSameAs(classPath);
  }

  @Test
  void missingPluginsFolderMeansClassPathOnly() {
    DestinationRegistry registry = DestinationRegistry.discover(classPath, temp.resolve("none"));

    assertThat(registry.names()).containsExactly("filesystem");
  }

  @Test
  void pluginsPathThatIsAFileFails() throws IOException {
    Path file = Files.writeString(temp.resolve("plugins"), "oops");

    assertThatThrownBy(() -> DestinationRegistry.discover(classPath, file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is a file");
  }

  @Test
  void unreadableJarIsNamed() throws IOException {
    Path plugins = Files.createDirectory(temp.resolve("plugins"));
    Path bad = Files.writeString(plugins.resolve("bad.jar"), "this is not a zip file");

    assertThatThrownBy(() -> DestinationRegistry.discover(classPath, plugins))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("plugin jar " + bad + " cannot be read");
  }

  @Test
  void brokenProviderClassIsNamed() throws IOException {
    Path plugins = temp.resolve("plugins");
    PluginJars.brokenServices(plugins.resolve("broken.jar"), "plugin.MissingProvider");

    assertThatThrownBy(() -> DestinationRegistry.discover(classPath, plugins))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("plugin.MissingProvider");
  }

  @Test
  void duplicateNamesAcrossPluginJarsFailNamingBoth() throws IOException {
    Path plugins = temp.resolve("plugins");
    PluginJars.provider(temp.resolve("work"), plugins.resolve("a.jar"), "FirstSftp", "sftp");
    PluginJars.provider(temp.resolve("work"), plugins.resolve("b.jar"), "SecondSftp", "sftp");

    assertThatThrownBy(() -> DestinationRegistry.discover(classPath, plugins))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("destination 'sftp' is provided twice")
        .hasMessageContaining("plugin.FirstSftp")
        .hasMessageContaining("plugin.SecondSftp")
        .hasMessageContaining("a.jar")
        .hasMessageContaining("b.jar");
  }
}
