package org.periodicbackups.examples.guiceapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.core.scheduler.PeriodicBackupService;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

class GuiceAppTest {
  @TempDir Path home;

  @Test
  void threeRoundsMakeAChainThatRestoresToTheSameDatabase() throws Exception {
    List<BackupRecord> backups = GuiceApp.run(home, 3);

    assertThat(backups)
        .extracting(BackupRecord::type)
        .containsExactly(BackupType.FULL, BackupType.INCREMENTAL, BackupType.INCREMENTAL);
    assertThat(backups.get(2).deletions()).isPositive();
    try (SqliteStore source = new SqliteStore(home.resolve("data"));
        SqliteStore restored = new SqliteStore(home.resolve("restored"));
        FilesystemDestination folder = new FilesystemDestination(home.resolve("backups"))) {
      SqliteDatabase target = restored.create("shop", Map.of());
      ChainRestorer restorer = new ChainRestorer();
      RestoreResult result =
          restorer.restore(folder, restorer.plan(folder, RestoreRequest.latest("shop")), target);

      assertThat(result.files()).hasSize(3);
      assertThat(result.toEtag()).isEqualTo(backups.get(2).toEtag());
      assertThat(DatabaseContents.of(target)).isEqualTo(DatabaseContents.of(source.open("shop")));
    }
  }

  @Test
  void theInjectorBuildsTheEngineWithoutTouchingTheHomeFolder() throws Exception {
    var injector = GuiceApp.injector(home);

    assertThat(injector.getInstance(PeriodicBackupService.class))
        .isSameAs(injector.getInstance(PeriodicBackupService.class));
    assertThat(injector.getInstance(BackupEngine.class))
        .isSameAs(injector.getInstance(BackupEngine.class));
    try (var files = java.nio.file.Files.list(home)) {
      assertThat(files).isEmpty();
    }
  }
}
