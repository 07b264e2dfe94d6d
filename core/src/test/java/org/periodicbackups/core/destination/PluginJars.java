package org.periodicbackups.core.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.periodicbackups.api.destination.DestinationProvider;

/** Builds small destination plugin jars at test time: compiled source plus a services file. */
final class PluginJars {
  private static final String SERVICES = "META-INF/services/" + DestinationProvider.class.getName();

  private PluginJars() {}

  /** A jar holding provider class {@code plugin.<simpleName>} whose name() is {@code name}. */
  static Path provider(Path work, Path jar, String simpleName, String name) throws IOException {
    String source =
        """
        package plugin;

        import org.periodicbackups.api.config.PeriodicBackupSetup;
        import org.periodicbackups.api.destination.BackupDestination;
        import org.periodicbackups.api.destination.DestinationContext;
        import org.periodicbackups.api.destination.DestinationProvider;

        public class %s implements DestinationProvider {
          public String name() { return "%s"; }
          public boolean isConfiguredBy(PeriodicBackupSetup setup) {
            return setup.destinations().containsKey(name());
          }
          public BackupDestination create(DestinationContext context) {
            throw new UnsupportedOperationException();
          }
        }
        """
            .formatted(simpleName, name);
    Path classes = compile(work.resolve(simpleName), simpleName, source);
    return jar(jar, classes, "plugin." + simpleName + "\n");
  }

  /** A jar whose services file names {@code className}, which the jar does not contain. */
  static Path brokenServices(Path jar, String className) throws IOException {
    Path empty = Files.createTempDirectory(jar.getParent().getParent(), "empty");
    return jar(jar, empty, className + "\n");
  }

  private static Path compile(Path work, String simpleName, String source) throws IOException {
    Path sources = Files.createDirectories(work.resolve("src/plugin"));
    Path classes = Files.createDirectories(work.resolve("classes"));
    Path file = Files.writeString(sources.resolve(simpleName + ".java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("tests need a JDK, not a JRE").isNotNull();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int result =
        javac.run(
            null,
            errors,
            errors,
            "--release",
            "17",
            "-d",
            classes.toString(),
            "-cp",
            apiLocation().toString(),
            file.toString());
    assertThat(result).as(errors.toString(StandardCharsets.UTF_8)).isZero();
    return classes;
  }

  private static Path apiLocation() {
    try {
      return Path.of(
          DestinationProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path jar(Path jar, Path classes, String services) throws IOException {
    Files.createDirectories(jar.getParent());
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
        Files.copy(path, out);
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry(SERVICES));
      out.write(services.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }
}
