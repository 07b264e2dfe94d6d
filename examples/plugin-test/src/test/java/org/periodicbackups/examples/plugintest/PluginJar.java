package org.periodicbackups.examples.plugintest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The example destination as a jar in a plugins folder. Maven passes its path in the system
 * property {@value #PROPERTY} (see this module's pom): the packaged jar, or its classes folder when
 * the build stopped before {@code package} ({@code mvn test}), which is then jarred here.
 */
final class PluginJar {
  static final String PROPERTY = "pbk.example.destination";

  private PluginJar() {}

  /** Puts the plugin jar into {@code pluginsFolder} and returns its path there. */
  static Path installInto(Path pluginsFolder) throws IOException {
    String built = System.getProperty(PROPERTY);
    if (built == null || built.isBlank() || built.startsWith("${")) {
      throw new IllegalStateException(
          "system property "
              + PROPERTY
              + " is not set; run this"
              + " test through Maven (examples/plugin-test/pom.xml sets it)");
    }
    Path source = Path.of(built);
    Files.createDirectories(pluginsFolder);
    Path jar = pluginsFolder.resolve("pbk-example-destination.jar");
    if (Files.isDirectory(source)) {
      jarFolder(source, jar);
    } else {
      Files.copy(source, jar);
    }
    return jar;
  }

  private static void jarFolder(Path classes, Path jar) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out)) {
      for (Path file : files) {
        String name = classes.relativize(file).toString().replace('\\', '/');
        zip.putNextEntry(new JarEntry(name));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }
}
