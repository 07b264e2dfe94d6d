package org.periodicbackups.tck;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BuiltInDestinations;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.core.config.SetupDocuments;

/**
 * The whole kit against a destination configured by a setup file, without writing Java: run by
 * {@code pbk tck --setup setup.json}, or by Maven with system properties. Skipped, with a message
 * saying what to set, when {@value #SETUP} is not set.
 *
 * <ul>
 *   <li>{@value #SETUP}: a setup document (JSON, as {@code pbk setup --file} takes);
 *   <li>{@value #PROVIDER}: the provider to test (default: the remote destination the setup
 *       resolves to, else {@code filesystem});
 *   <li>{@value #PLUGINS}: a folder of plugin jars to find the provider in;
 *   <li>{@value #SETTING_PREFIX}{@code <name>}: a database setting such as {@code
 *       Raven/AWSAccessKey}; {@code Raven/AWSSecretKey} is read from the first line of the file
 *       named by {@value #SECRET_FILE}, else from the environment variable {@value #SECRET_ENV},
 *       never from a property, and treated as a secret (R1.3).
 * </ul>
 *
 * <p>Each test gets its own prefix: a sub-folder of {@code LocalFolderName} for {@code filesystem},
 * a sub-folder of {@code S3RemoteFolderName} for {@code s3}; other providers get the setup
 * unchanged (each test deletes what it wrote, so runs must not overlap).
 */
public class ConfiguredDestinationCompatibilityTest extends DestinationCompatibilityKit {
  /** System property: the setup file. */
  public static final String SETUP = "pbk.tck.setup";

  /** System property: the provider name. */
  public static final String PROVIDER = "pbk.tck.provider";

  /** System property: the plugins folder. */
  public static final String PLUGINS = "pbk.tck.plugins";

  /** System property prefix of database settings. */
  public static final String SETTING_PREFIX = "pbk.tck.setting.";

  /** The environment variable holding {@code Raven/AWSSecretKey}. */
  public static final String SECRET_ENV = "PBK_AWS_SECRET_KEY";

  /** System property: a file whose first line is {@code Raven/AWSSecretKey}. */
  public static final String SECRET_FILE = "pbk.tck.secretKeyFile";

  /** The secured setting read from {@value #SECRET_FILE} or {@value #SECRET_ENV}. */
  public static final String SECRET_SETTING = "Raven/AWSSecretKey";

  private static ClassLoader plugins;

  /** Skips every rule, visibly, unless a setup file is given. */
  @BeforeAll
  static void requireSetup() {
    assumeTrue(
        System.getProperty(SETUP) != null,
        "pbk-tck: no configured destination; run"
            + " 'pbk tck --setup <setup.json>' or set -D"
            + SETUP
            + "=<setup.json>");
  }

  private static PeriodicBackupSetup configured() {
    try {
      return SetupDocuments.parse(Files.readString(Path.of(System.getProperty(SETUP))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the setup file " + System.getProperty(SETUP), e);
    }
  }

  @Override
  protected String providerName() {
    return Optional.ofNullable(System.getProperty(PROVIDER)).orElse(BuiltInDestinations.FILESYSTEM);
  }

  @Override
  protected PeriodicBackupSetup setupFor(String prefix) {
    PeriodicBackupSetup s = configured();
    String local = s.localFolderName();
    String remote = s.s3RemoteFolderName();
    if (providerName().equals(BuiltInDestinations.FILESYSTEM)) {
      local = Path.of(local).resolve(prefix).toString();
    } else if (providerName().equals(BuiltInDestinations.S3)) {
      remote = remote == null ? prefix : remote.replaceAll("/+$", "") + "/" + prefix;
    }
    return s.toBuilder().s3RemoteFolderName(remote).localFolderName(local).build();
  }

  @Override
  protected DestinationContext contextFor(PeriodicBackupSetup setup) {
    Map<String, String> settings = settings();
    return new DestinationContext("tck", setup, name -> Optional.ofNullable(settings.get(name)));
  }

  @Override
  protected Set<String> secrets() {
    return secret().map(Set::of).orElse(Set.of());
  }

  /** The secret key: the first line of {@value #SECRET_FILE}, else {@value #SECRET_ENV}. */
  static Optional<String> secret() {
    String file = System.getProperty(SECRET_FILE);
    String secret;
    if (file != null) {
      try {
        secret = Files.readAllLines(Path.of(file)).stream().findFirst().orElse("").strip();
      } catch (IOException e) {
        throw new ConfigurationException("cannot read the secret key file " + file + ": " + e);
      }
    } else {
      secret = System.getenv(SECRET_ENV);
    }
    return secret == null || secret.isEmpty() ? Optional.empty() : Optional.of(secret);
  }

  @Override
  protected synchronized ClassLoader providerClassLoader() {
    String folder = System.getProperty(PLUGINS);
    if (folder == null || !Files.isDirectory(Path.of(folder))) {
      return super.providerClassLoader();
    }
    if (plugins == null) {
      plugins =
          new URLClassLoader("pbk-tck-plugins", jars(Path.of(folder)), super.providerClassLoader());
    }
    return plugins;
  }

  /** The settings given as system properties, and the secret key from its file or variable. */
  public static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    System.getProperties().stringPropertyNames().stream()
        .sorted()
        .filter(name -> name.startsWith(SETTING_PREFIX))
        .forEach(
            name ->
                settings.put(name.substring(SETTING_PREFIX.length()), System.getProperty(name)));
    secret().ifPresent(secret -> settings.put(SECRET_SETTING, secret));
    return new HashMap<>(settings);
  }

  private static URL[] jars(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
      URL[] urls = new URL[jars.size()];
      for (int i = 0; i < urls.length; i++) {
        urls[i] = jars.get(i).toUri().toURL();
      }
      return urls;
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the plugins folder " + folder, e);
    }
  }
}
