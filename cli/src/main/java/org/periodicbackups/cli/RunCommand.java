package org.periodicbackups.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.scheduler.BundleActivation;
import org.periodicbackups.core.scheduler.PeriodicBackupScheduler;
import org.periodicbackups.core.scheduler.PeriodicBackupService;
import org.periodicbackups.store.sqlite.ChangeEvent;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pbk run}: the daemon that backs up, on their schedules, every database of the data
 * folder that has the Periodic Backups bundle, until it receives SIGTERM (or Ctrl-C).
 *
 * <p>Global settings come from {@code <data-dir>/pbk.properties} (if present), overridden by
 * {@code --setting}. The data folder is scanned again every {@code --rescan-interval}: new
 * databases are picked up, and changes made by other processes (setup documents, bundle
 * settings) are applied. Setup changes made through this process apply at once.
 */
@Command(name = "run", description = {
    "Run periodic backups of every database with the PeriodicBackups bundle until stopped "
        + "(SIGTERM or Ctrl-C).",
    "Global settings: <data-dir>/pbk.properties, overridden by --setting."})
final class RunCommand implements Callable<Integer> {
  /** The global configuration file, in the data folder. */
  static final String GLOBAL_SETTINGS_FILE = "pbk.properties";
  /** Extra time the shutdown hook allows, beyond --shutdown-timeout, to close everything. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(15);

  private Logger log;

  @Spec CommandSpec spec;

  @Option(names = "--setting", paramLabel = "<name=value>",
      description = "A global setting for every database, e.g. "
          + "Raven/ActiveBundles=PeriodicBackups (repeatable; wins over pbk.properties).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--max-concurrent", paramLabel = "<n>", defaultValue = "2",
      description = "How many backups may run at once; others wait (default: ${DEFAULT-VALUE}).")
  int maxConcurrent;

  @Option(names = "--shutdown-timeout", paramLabel = "<duration>", defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long a stop waits for backups in progress before aborting them "
          + "(their status stays as it was); e.g. 500ms, 30s, 2m (default: ${DEFAULT-VALUE}).")
  Duration shutdownTimeout;

  @Option(names = "--rescan-interval", paramLabel = "<duration>", defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How often to look for new databases and for changes made by other "
          + "processes (default: ${DEFAULT-VALUE}).")
  Duration rescanInterval;

  @Override
  public Integer call() throws Exception {
    if (maxConcurrent < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--max-concurrent must be at least 1, not " + maxConcurrent);
    }
    configureLogging();
    BundleActivation activation = new BundleActivation(globalSettings());
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(maxConcurrent, backupThreads());
    pool.setRemoveOnCancelPolicy(true);
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> endProcess(stopRequested, stopped), "pbk-run-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Workspace workspace = new Workspace()) {
      Clock clock = Clock.systemUTC();
      BackupEngine engine = new BackupEngine(new DestinationResolver(workspace.registry()),
          Path.of(System.getProperty("java.io.tmpdir")), clock);
      PeriodicBackupService service =
          new PeriodicBackupService(engine, activation, pool, clock);
      log.info("pbk run: backing up the databases of {} with the {} bundle ({}), up to {} at once",
          GlobalOptions.dataDir.toAbsolutePath(), BundleActivation.BUNDLE_NAME,
          activation.isGloballyActive() ? "active globally" : "per database", maxConcurrent);
      do {
        rescan(workspace.store(), service);
      } while (!stopRequested.await(rescanInterval.toMillis(), TimeUnit.MILLISECONDS));
      log.info("pbk run: stopping; waiting up to {} for backups in progress",
          DurationConverter.format(shutdownTimeout));
      boolean clean = service.shutdown(shutdownTimeout);
      log.info("pbk run: stopped{}", clean ? "" : " (backups in progress were aborted)");
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it ends the process once we are done here.
      }
    }
    return 0;
  }

  /**
   * The shutdown hook: asks the main loop to stop, waits (bounded) until it has closed everything,
   * then ends the process with 0, so that SIGTERM counts as a normal stop (not 143).
   */
  private void endProcess(CountDownLatch stopRequested, CountDownLatch stopped) {
    stopRequested.countDown();
    boolean done = false;
    try {
      done = stopped.await(shutdownTimeout.plus(CLOSE_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(done ? 0 : ErrorReporter.FAILED);
  }

  /** Adds new databases, forgets deleted ones, and re-reads every schedule. */
  private void rescan(SqliteStore store, PeriodicBackupService service) {
    try {
      List<String> names = store.list();
      Set<String> known = service.databases();
      for (String name : names) {
        if (!known.contains(name)) {
          SqliteDatabase database = store.open(name);
          PeriodicBackupScheduler scheduler = service.add(database);
          database.addChangeListener(event -> {
            if (event.kind() == ChangeEvent.Kind.DOCUMENT) {
              scheduler.onDocumentChanged(event.key());
            }
          });
        }
      }
      for (String name : known) {
        if (!names.contains(name)) {
          log.info("pbk run: database '{}' was deleted; no more backups of it", name);
          service.remove(name, shutdownTimeout);
        }
      }
      service.refreshAll();
    } catch (IOException | RuntimeException e) {
      log.warn("pbk run: scanning {} failed: {}", GlobalOptions.dataDir,
          ErrorReporter.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code <data-dir>/pbk.properties}, then {@code --setting}. */
  Map<String, String> globalSettings() throws IOException {
    Map<String, String> global = new LinkedHashMap<>();
    Path file = GlobalOptions.dataDir.resolve(GLOBAL_SETTINGS_FILE);
    if (Files.isRegularFile(file)) {
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        properties.load(in);
      }
      properties.stringPropertyNames().forEach(name ->
          global.put(name, properties.getProperty(name)));
    }
    global.putAll(settings);
    return global;
  }

  /**
   * The command line logs warnings only; the daemon logs every backup at info, with times. Set
   * before the first logger is created (slf4j-simple reads these once).
   */
  private void configureLogging() {
    System.setProperty("org.slf4j.simpleLogger.log.org.periodicbackups",
        System.getProperty("org.slf4j.simpleLogger.log.org.periodicbackups", "info"));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    log = LoggerFactory.getLogger(RunCommand.class);
  }

  private static ThreadFactory backupThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "pbk-backup-" + count.incrementAndGet());
      thread.setDaemon(true); // never keeps the process alive; shutdown waits for runs itself
      return thread;
    };
  }

  /** Durations such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or {@code PT30S}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      String text = value.strip().toLowerCase(Locale.ROOT);
      Matcher matcher = SHORT.matcher(text);
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
      }
      try {
        Duration parsed = Duration.parse(value.strip());
        if (!parsed.isNegative()) {
          return parsed;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
      throw new CommandLine.TypeConversionException("'" + value
          + "' is not a duration; use for example 500ms, 30s, 5m, 1h or PT30S");
    }

    static String format(Duration duration) {
      return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s"
          : duration.toMillis() + " ms";
    }
  }
}
