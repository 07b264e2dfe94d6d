package org.periodicbackups.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.periodicbackups.api.config.DrillRecord;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.destination.WaitListener;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupMetrics;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.config.StatusDocuments;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.restore.RestoreListener;
import org.periodicbackups.core.scheduler.BundleActivation;
import org.periodicbackups.core.scheduler.PeriodicBackupScheduler;
import org.periodicbackups.core.scheduler.PeriodicBackupService;
import org.periodicbackups.server.Drills;
import org.periodicbackups.store.sqlite.ChangeEvent;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The backup daemon behind {@code pbk run} and {@code pbk server}: backs up, on their schedules,
 * every database of the data folder that has the Periodic Backups bundle, until SIGTERM (or
 * Ctrl-C), after which it waits a bounded time for backups in progress and exits 0.
 *
 * <p>The data folder is scanned again every {@code --rescan-interval}: new databases are picked up,
 * deleted ones forgotten, and changes made by other processes (setup documents, bundle settings)
 * applied. Setup changes made through this process apply at once.
 */
final class Daemon {
  /** The global configuration file, in the data folder. */
  static final String GLOBAL_SETTINGS_FILE = "pbk.properties";

  /** Extra time the shutdown hook allows, beyond --shutdown-timeout, to close everything. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(15);

  /** The options both commands take. */
  static final class Options {
    @Option(
        names = "--setting",
        paramLabel = "<name=value>",
        description =
            "A global setting for every database, e.g. "
                + "Raven/ActiveBundles=PeriodicBackups (repeatable; wins over pbk.properties).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(
        names = "--max-concurrent",
        paramLabel = "<n>",
        defaultValue = "2",
        description =
            "How many backups may run at once; others wait" + " (default: ${DEFAULT-VALUE}).")
    int maxConcurrent;

    @Option(
        names = "--shutdown-timeout",
        paramLabel = "<duration>",
        defaultValue = "30s",
        converter = DurationConverter.class,
        description =
            "How long a stop waits for backups in progress before aborting them "
                + "(their status stays as it was); e.g. 500ms, 30s, 2m (default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(
        names = "--metrics-port",
        paramLabel = "<port>",
        description =
            "Serve the metrics as Prometheus text at http://<metrics-bind>:<port>/metrics"
                + " (0: any free port; default: no such listener; pbk server also serves them at"
                + " its own /metrics).")
    Integer metricsPort;

    @Option(
        names = "--metrics-bind",
        paramLabel = "<address>",
        defaultValue = "127.0.0.1",
        description = "The address of the --metrics-port listener (default: ${DEFAULT-VALUE}).")
    String metricsBind;

    @Option(
        names = "--rescan-interval",
        paramLabel = "<duration>",
        defaultValue = "10s",
        converter = DurationConverter.class,
        description =
            "How often to look for new databases and for changes made by other "
                + "processes (default: ${DEFAULT-VALUE}).")
    Duration rescanInterval;

    /** {@code <data-dir>/pbk.properties}, then {@code --setting}. */
    Map<String, String> globalSettings() throws IOException {
      Map<String, String> global = new LinkedHashMap<>();
      Path file = GlobalOptions.dataDir.resolve(GLOBAL_SETTINGS_FILE);
      if (Files.isRegularFile(file)) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
          properties.load(in);
        }
        properties
            .stringPropertyNames()
            .forEach(name -> global.put(name, properties.getProperty(name)));
      }
      global.putAll(settings);
      return global;
    }
  }

  /** What a command runs beside the daemon (the server's HTTP listener), closed at the stop. */
  interface Extension {
    /** Starts it once the daemon's engine and scheduler exist. */
    AutoCloseable start(
        Daemon daemon,
        Workspace workspace,
        BackupEngine engine,
        DestinationResolver resolver,
        BundleActivation activation)
        throws Exception;
  }

  private final String name;
  private final Options options;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final BackupMetrics metrics = new BackupMetrics();
  private final Set<String> drillsQueued = ConcurrentHashMap.newKeySet();
  private ExecutorService drills;
  private Logger log;
  private PeriodicBackupService service;

  Daemon(String name, Options options) {
    this.name = name;
    this.options = options;
  }

  /** Runs until SIGTERM; returns the exit code. */
  int run(CommandSpec spec, Extension extension) throws Exception {
    if (options.maxConcurrent < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-concurrent must be at least 1, not " + options.maxConcurrent);
    }
    if (options.rescanInterval.isZero()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--rescan-interval must be more than 0 (it would rescan without pause)");
    }
    configureLogging();
    BundleActivation activation = new BundleActivation(options.globalSettings());
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(options.maxConcurrent, backupThreads());
    pool.setRemoveOnCancelPolicy(true);
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> endProcess(stopRequested, stopped), "pbk-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    drills = Executors.newSingleThreadExecutor(daemonThread("pbk-drill"));
    try (Workspace workspace = new Workspace()) {
      Clock clock = Clock.systemUTC();
      DestinationResolver resolver = new DestinationResolver(workspace.registry());
      metrics.bindTo(registry);
      BackupEngine engine =
          new BackupEngine(resolver, Path.of(System.getProperty("java.io.tmpdir")), clock, metrics);
      service = new PeriodicBackupService(engine, activation, pool, clock);
      try (AutoCloseable endpoint = startMetricsEndpoint();
          AutoCloseable extra = extension.start(this, workspace, engine, resolver, activation)) {
        log.info(
            "{}: backing up the databases of {} with the {} bundle ({}), up to {} at once",
            name,
            GlobalOptions.dataDir.toAbsolutePath(),
            BundleActivation.BUNDLE_NAME,
            activation.isGloballyActive() ? "active globally" : "per database",
            options.maxConcurrent);
        do {
          rescan(workspace.store());
          scheduleDrills(workspace, activation, clock);
        } while (!stopRequested.await(options.rescanInterval.toMillis(), TimeUnit.MILLISECONDS));
        log.info(
            "{}: stopping; waiting up to {} for backups in progress",
            name,
            DurationConverter.format(options.shutdownTimeout));
      }
      boolean clean = service.shutdown(options.shutdownTimeout);
      log.info("{}: stopped{}", name, clean ? "" : " (backups in progress were aborted)");
    } finally {
      drills.shutdownNow();
      drills.awaitTermination(5, TimeUnit.SECONDS);
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

  /** The daemon's metrics in Prometheus' text format. */
  String scrapeMetrics() {
    return registry.scrape();
  }

  private AutoCloseable startMetricsEndpoint() throws IOException {
    if (options.metricsPort == null) {
      return () -> {};
    }
    MetricsEndpoint endpoint =
        MetricsEndpoint.start(options.metricsBind, options.metricsPort, this::scrapeMetrics);
    log.info("{}: metrics at http://{}:{}/metrics", name, options.metricsBind, endpoint.port());
    return endpoint;
  }

  /** Schedules a database once; setup writes through this process reschedule it at once. */
  synchronized void track(SqliteDatabase database) {
    if (service.databases().contains(database.databaseName())) {
      return;
    }
    metrics.watch(database);
    PeriodicBackupScheduler scheduler = service.add(database);
    database.addChangeListener(
        event -> {
          if (event.kind() == ChangeEvent.Kind.DOCUMENT) {
            scheduler.onDocumentChanged(event.key());
          }
        });
  }

  /** Stops backing up a database (deleted), waiting a bounded time for a run in progress. */
  void forget(String database) throws InterruptedException {
    log.info("{}: database '{}' was deleted; no more backups of it", name, database);
    service.remove(database, options.shutdownTimeout);
    metrics.forget(database);
  }

  /**
   * The shutdown hook: asks the main loop to stop, waits (bounded) until it has closed everything,
   * then ends the process with 0, so that SIGTERM counts as a normal stop (not 143).
   */
  private void endProcess(CountDownLatch stopRequested, CountDownLatch stopped) {
    stopRequested.countDown();
    boolean done = false;
    try {
      done =
          stopped.await(
              options.shutdownTimeout.plus(CLOSE_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(done ? 0 : ErrorReporter.FAILED);
  }

  /** Adds new databases, forgets deleted ones, and re-reads every schedule. */
  private void rescan(SqliteStore store) {
    try {
      List<String> names = store.list();
      for (String database : names) {
        if (!service.databases().contains(database)) {
          track(store.open(database));
        }
      }
      Set<String> known = service.databases();
      for (String database : known) {
        if (!names.contains(database)) {
          forget(database);
        }
      }
      service.refreshAll();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "{}: scanning {} failed: {}", name, GlobalOptions.dataDir, ErrorReporter.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Queues a restore drill of every database whose setup sets {@code DrillIntervalMilliseconds} and
   * whose last drill is that old (or that was never drilled). Drills run one at a time on their own
   * thread, under the database's backup lock (so never during its backup); a database whose backups
   * need retrievals is drilled only with {@code "DrillColdStorage": true}.
   */
  private void scheduleDrills(Workspace workspace, BundleActivation activation, Clock clock) {
    for (String database : service.databases()) {
      try {
        SqliteDatabase db = workspace.store().open(database);
        Optional<PeriodicBackupSetup> setup =
            db.getSystemDocument(SystemDocuments.SETUP_KEY).map(SetupDocuments::parse);
        if (setup.isEmpty()
            || setup.get().drillIntervalMilliseconds() == null
            || setup.get().disabled()
            || !activation.isActiveFor(db)
            || !drillDue(db, setup.get().drillIntervalMilliseconds(), clock)
            || !drillsQueued.add(database)) {
          continue;
        }
        drills.execute(() -> drill(workspace, db, setup.get()));
      } catch (IOException | RuntimeException e) {
        log.warn(
            "{}: cannot schedule a drill of '{}': {}", name, database, ErrorReporter.describe(e));
      }
    }
  }

  private static boolean drillDue(SqliteDatabase db, long intervalMillis, Clock clock)
      throws IOException {
    PeriodicBackupStatus status = StatusDocuments.read(db);
    if (status.lastBackup() == null) {
      return false; // nothing to drill yet
    }
    return status.lastDrill() == null
        || !status.lastDrill().at().plusMillis(intervalMillis).isAfter(clock.instant());
  }

  private void drill(Workspace workspace, SqliteDatabase db, PeriodicBackupSetup setup) {
    String database = db.databaseName();
    try {
      Optional<Drills.Outcome> outcome =
          Drills.run(
              workspace.registry(),
              db,
              setup,
              EncryptionKeyOptions.ownKey(db),
              null,
              RestoreListener.NONE,
              WaitListener.NONE,
              !setup.drillsColdStorage());
      if (outcome.isEmpty()) {
        log.info(
            "{}: no scheduled drill of '{}': its backups are in cold storage (set"
                + " \"DrillColdStorage\": true to drill them anyway)",
            name,
            database);
        return;
      }
      DrillRecord record = outcome.get().record();
      if (record.result().equals(DrillRecord.FAILED)) {
        log.warn(
            "drill of '{}' from {} failed: {}", database, outcome.get().from(), record.error());
      } else {
        log.info(
            "drill of '{}' from {}: {} up to etag {} in {} ms",
            database,
            outcome.get().from(),
            record.proved() ? "proved equal to the source" : "restored, content not recorded",
            record.etag(),
            record.durationMillis());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("drill of '{}' failed: {}", database, ErrorReporter.describe(e));
    } finally {
      drillsQueued.remove(database);
    }
  }

  /**
   * The command line logs warnings only; the daemon logs every backup at info, with times. Set
   * before the first logger is created (slf4j-simple reads these once).
   */
  private void configureLogging() {
    System.setProperty(
        "org.slf4j.simpleLogger.log.org.periodicbackups",
        System.getProperty("org.slf4j.simpleLogger.log.org.periodicbackups", "info"));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    log = LoggerFactory.getLogger(Daemon.class);
  }

  private static ThreadFactory daemonThread(String threadName) {
    return runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    };
  }

  private static ThreadFactory backupThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "pbk-backup-" + count.incrementAndGet());
      thread.setDaemon(true); // never keeps the process alive; shutdown waits for runs itself
      return thread;
    };
  }
}
