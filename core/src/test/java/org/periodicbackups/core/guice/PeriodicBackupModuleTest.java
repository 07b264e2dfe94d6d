package org.periodicbackups.core.guice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.PeriodicBackupSetup;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.DestinationContext;
import org.periodicbackups.api.destination.DestinationProvider;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.backup.BackupMetrics;
import org.periodicbackups.core.backup.BackupOutcome;
import org.periodicbackups.core.backup.BackupRequest;
import org.periodicbackups.core.config.SetupDocuments;
import org.periodicbackups.core.destination.DestinationRegistry;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.scheduler.BundleActivation;
import org.periodicbackups.core.scheduler.PeriodicBackupService;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.destination.filesystem.FilesystemDestinationModule;
import org.periodicbackups.destination.filesystem.FilesystemDestinationProvider;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

class PeriodicBackupModuleTest {
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  @TempDir Path temp;

  /** A provider whose name is given, for key and duplicate checks. */
  static final class NamedProvider implements DestinationProvider {
    private final String name;

    NamedProvider(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean isConfiguredBy(PeriodicBackupSetup setup) {
      return false;
    }

    @Override
    public BackupDestination create(DestinationContext context) {
      throw new UnsupportedOperationException("not used");
    }
  }

  private Injector injector(Path workFolder) {
    return Guice.createInjector(
        new PeriodicBackupModule(),
        new FilesystemDestinationModule(),
        binder -> {
          PeriodicBackupModule.workFolder(binder).toInstance(workFolder);
          PeriodicBackupModule.clock(binder).toInstance(Clock.fixed(NOW, ZoneOffset.UTC));
        });
  }

  @Test
  void injectedEngineBacksUpASqliteDatabaseThatRestoresEqual() throws IOException {
    Path backups = temp.resolve("backups");
    try (SqliteStore store = new SqliteStore(temp.resolve("data"));
        SqliteStore restored = new SqliteStore(temp.resolve("restored"))) {
      SqliteDatabase db = store.create("shop", Map.of());
      db.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
      db.putDocument("users/2", "{}", "{\"Name\":\"Bob\"}");
      db.putSystemDocument(
          SystemDocuments.SETUP_KEY,
          SetupDocuments.toJson(PeriodicBackupSetup.localFolder(backups.toString(), 60_000L)));

      BackupEngine engine = injector(temp.resolve("work")).getInstance(BackupEngine.class);
      BackupOutcome outcome = engine.run(db, BackupRequest.SCHEDULED);

      assertThat(outcome.result()).isEqualTo(BackupOutcome.Result.BACKED_UP);
      assertThat(outcome.backup().orElseThrow().type()).isEqualTo(BackupType.FULL);
      assertThat(outcome.backup().orElseThrow().startedAt()).isEqualTo(NOW);
      SqliteDatabase target = restored.create("shop", Map.of());
      try (FilesystemDestination folder = new FilesystemDestination(backups)) {
        ChainRestorer restorer = new ChainRestorer();
        restorer.restore(folder, restorer.plan(folder, RestoreRequest.latest("shop")), target);
      }
      assertThat(DatabaseContents.of(target)).isEqualTo(DatabaseContents.of(db));
    }
  }

  @Test
  void bindsSingletonsOverTheContributedProviders() {
    Injector injector = injector(temp.resolve("work"));

    assertThat(injector.getInstance(DestinationRegistry.class).names())
        .containsExactly("filesystem");
    assertThat(injector.getInstance(BackupEngine.class))
        .isSameAs(injector.getInstance(BackupEngine.class));
    assertThat(injector.getInstance(DestinationResolver.class))
        .isSameAs(injector.getInstance(DestinationResolver.class));
  }

  @Test
  void defaultsToTheTemporaryFolderAndTheUtcSystemClock() {
    Injector injector = Guice.createInjector(new PeriodicBackupModule());

    assertThat(injector.getInstance(Key.get(Path.class, BackupWorkFolder.class)))
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
    assertThat(injector.getInstance(Key.get(Clock.class, BackupClock.class)))
        .isEqualTo(Clock.systemUTC());
  }

  @Test
  void withoutDestinationModulesTheRegistryIsEmptyAndTheEngineStillBuilds() {
    Injector injector = Guice.createInjector(new PeriodicBackupModule());

    assertThat(injector.getInstance(DestinationRegistry.class).names()).isEmpty();
    assertThat(injector.getInstance(BackupEngine.class))
        .isSameAs(injector.getInstance(BackupEngine.class));
  }

  @Test
  void aKeyThatIsNotTheProviderNameFailsNamingBoth() {
    Injector injector =
        Guice.createInjector(
            new PeriodicBackupModule(),
            binder ->
                PeriodicBackupModule.destinations(binder)
                    .addBinding("local")
                    .to(FilesystemDestinationProvider.class));

    assertThatThrownBy(() -> injector.getInstance(BackupEngine.class))
        .isInstanceOf(ProvisionException.class)
        .hasMessageContaining("bound under the key 'local' but its name() is 'filesystem'")
        .hasMessageContaining(FilesystemDestinationProvider.class.getName())
        .hasMessageContaining("addBinding(\"filesystem\")");
  }

  @Test
  void aKeyMismatchFailsAtStartInProductionStage() {
    assertThatThrownBy(
            () ->
                Guice.createInjector(
                    Stage.PRODUCTION,
                    new PeriodicBackupModule(),
                    binder ->
                        PeriodicBackupModule.destinations(binder)
                            .addBinding("s3")
                            .toInstance(new NamedProvider("my-s3"))))
        .isInstanceOf(CreationException.class)
        .hasMessageContaining("bound under the key 's3' but its name() is 'my-s3'");
  }

  @Test
  void twoBindingsUnderOneKeyFailTheInjectorNamingTheKey() {
    assertThatThrownBy(
            () ->
                Guice.createInjector(
                    new PeriodicBackupModule(),
                    new FilesystemDestinationModule(),
                    binder ->
                        PeriodicBackupModule.destinations(binder)
                            .addBinding("filesystem")
                            .toInstance(new NamedProvider("filesystem"))))
        .isInstanceOf(CreationException.class)
        .hasMessageContaining("\"filesystem\"");
  }

  @Test
  void destinationModulesOnApiOnlyAndTheHelperShareOneMap() {
    Injector injector =
        Guice.createInjector(
            new PeriodicBackupModule(),
            new FilesystemDestinationModule(),
            binder ->
                PeriodicBackupModule.destinations(binder)
                    .addBinding("third-party")
                    .toInstance(new NamedProvider("third-party")));

    assertThat(injector.getInstance(DestinationRegistry.class).names())
        .containsExactly("filesystem", "third-party");
  }

  @Test
  void buildingTheInjectorCreatesNoThreadAndNoFile() throws IOException {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Path work = temp.resolve("work");

    Injector injector =
        Guice.createInjector(
            Stage.PRODUCTION,
            new PeriodicBackupModule(),
            new FilesystemDestinationModule(),
            binder -> PeriodicBackupModule.workFolder(binder).toInstance(work));
    injector.getInstance(BackupEngine.class);

    assertThat(Thread.getAllStackTraces().keySet())
        .allSatisfy(
            t ->
                assertThat(before)
                    .as("thread %s started by the injector", t.getName())
                    .contains(t));
    try (Stream<Path> files = Files.list(temp)) {
      assertThat(files).as("files created by the injector").isEmpty();
    }
  }

  @Test
  void boundServiceBacksUpDatabasesWithTheBundleAndReportsToTheBoundListener() throws Exception {
    Path backups = temp.resolve("backups");
    BackupMetrics metrics = new BackupMetrics();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    Injector injector =
        Guice.createInjector(
            new PeriodicBackupModule(),
            new FilesystemDestinationModule(),
            binder -> {
              PeriodicBackupModule.workFolder(binder).toInstance(temp.resolve("work"));
              PeriodicBackupModule.listener(binder).toInstance(metrics);
            });
    PeriodicBackupService service = injector.getInstance(PeriodicBackupService.class);
    try (SqliteStore store = new SqliteStore(temp.resolve("data"))) {
      SqliteDatabase db =
          store.create(
              "shop",
              Map.of(BundleActivation.ACTIVE_BUNDLES_SETTING, BundleActivation.BUNDLE_NAME));
      SqliteDatabase without = store.create("other", Map.of());
      for (SqliteDatabase database : List.of(db, without)) {
        database.putDocument("users/1", "{}", "{}");
        database.putSystemDocument(
            SystemDocuments.SETUP_KEY,
            SetupDocuments.toJson(PeriodicBackupSetup.localFolder(backups.toString(), 60_000L)));
      }

      service.add(db);
      service.add(without);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      // The meter is registered just before it is incremented: wait for the count itself.
      while (System.nanoTime() < deadline
          && (registry.find("pbk.backups").counter() == null
              || registry.find("pbk.backups").counter().count() < 1)) {
        Thread.sleep(20);
      }

      assertThat(registry.get("pbk.backups").tag("database", "shop").counter().count())
          .isEqualTo(1);
      assertThat(registry.find("pbk.backups").tag("database", "other").counter()).isNull();
    } finally {
      assertThat(service.shutdown(Duration.ofSeconds(10))).isTrue();
      injector
          .getInstance(Key.get(ScheduledExecutorService.class, BackupSchedulerPool.class))
          .shutdown();
    }
  }
}
