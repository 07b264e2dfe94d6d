package org.periodicbackups.examples.plugintest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.examples.plugintest.Pbk.Run;

/**
 * {@code pbk} with the example destination only in its plugins folder: found, chosen by the setup
 * document, and receiving the backup file.
 */
class PbkWithPluginTest {
  private static final String PROVIDER_CLASS =
      "org.periodicbackups.examples.destination.ExampleFolderDestinationProvider";

  @TempDir Path temp;
  Path plugins;
  Path flat;

  @BeforeEach
  void setUp() throws IOException {
    plugins = temp.resolve("plugins");
    flat = temp.resolve("flat-backups");
    PluginJar.installInto(plugins);
  }

  private Run pbk(Path pluginsFolder, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--data-dir", temp.resolve("data").toString(), "--plugins", pluginsFolder.toString()));
    return Pbk.run(all.toArray(String[]::new));
  }

  private Run ok(String... args) {
    Run run = pbk(plugins, args);
    assertThat(run.exitCode()).as("pbk %s: %s", String.join(" ", args), run.err()).isZero();
    return run;
  }

  private void setUpShop() throws IOException {
    ok("create-database", "shop");
    ok("put", "-d", "shop", "users/1", "--body", "{\"Name\":\"Ann\"}");
    Path setup =
        Files.writeString(
            temp.resolve("setup.json"),
            "{\"Destinations\": "
                + "{\"example-folder\": {\"Folder\": \""
                + flat.toString().replace("\\", "\\\\")
                + "\"}}}");
    ok("setup", "-d", "shop", "--file", setup.toString());
  }

  @Test
  void theDestinationIsNotOnThisTestsClassPath() {
    assertThatThrownBy(() -> Class.forName(PROVIDER_CLASS))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void destinationsListsTheProviderFromThePluginsFolder() {
    assertThat(ok("destinations").out()).contains("example-folder").contains(PROVIDER_CLASS);
  }

  @Test
  void backupLandsInThePluginDestination() throws IOException {
    setUpShop();

    ok("backup", "-d", "shop");

    try (Stream<Path> files = Files.list(flat)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .singleElement()
          .satisfies(name -> assertThat(name).startsWith("shop%2F").endsWith(".full.json.gz"));
    }
    assertThat(ok("destinations", "-d", "shop").out())
        .contains("remote destination: example-folder");
  }

  @Test
  void withoutThePluginTheSetupNamesTheMissingDestination() throws IOException {
    setUpShop();

    Run run = pbk(temp.resolve("empty-plugins"), "destinations", "-d", "shop");

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .contains("destination 'example-folder' not found")
        .contains("plugins folder");
  }
}
