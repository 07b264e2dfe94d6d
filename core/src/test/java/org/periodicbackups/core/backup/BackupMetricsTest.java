package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.model.BackupType;

class BackupMetricsTest {
  @TempDir Path temp;

  @Test
  void metersCountBackupsFailuresBytesAndPendingEtags() throws IOException {
    BackupMetrics metrics = new BackupMetrics();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (BackupWorld world = new BackupWorld(temp, metrics)) {
      metrics.bindTo(registry);
      metrics.watch(world.db);
      world.setup(
          "{\"LocalFolderName\": "
              + BackupWorld.quote(world.backups.toString())
              + ", \"Destinations\": {\"flaky\": {}}}");
      world.db.putDocument("users/1", "{}", "{}");
      world.db.putDocument("users/2", "{}", "{}");
      assertThat(registry.get("pbk.etags.pending").gauge().value()).isEqualTo(3);

      BackupRecord full =
          world.engine.run(world.db, BackupRequest.SCHEDULED).backup().orElseThrow();
      world.db.putDocument("users/3", "{}", "{}");
      world.flaky.failUploads(true);
      assertThatThrownBy(() -> world.engine.run(world.db, BackupRequest.SCHEDULED))
          .isInstanceOf(IOException.class);

      assertThat(registry.get("pbk.backups").tag("type", "Full").counter().count()).isEqualTo(1);
      assertThat(registry.get("pbk.backup.failures").tag("database", "shop").counter().count())
          .isEqualTo(1);
      assertThat(registry.get("pbk.backup.bytes").summary().totalAmount()).isEqualTo(full.size());
      assertThat(registry.get("pbk.backup.duration").timer().count()).isEqualTo(1);
      // users/3 and the status document's own write of the failed run are not backed up yet.
      assertThat(registry.get("pbk.etags.pending").gauge().value()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void listenerHearsEveryStepAndAFailingListenerNeverFailsTheBackup() throws IOException {
    List<String> events = new ArrayList<>();
    BackupListener listener =
        new BackupListener() {
          @Override
          public void started(String database, BackupType type) {
            events.add("started " + type.displayName());
          }

          @Override
          public void succeeded(String database, BackupRecord backup) {
            events.add("succeeded");
            throw new IllegalStateException("listener bug (expected in this test)");
          }

          @Override
          public void nothingChanged(String database) {
            events.add("nothing changed");
          }
        };
    try (BackupWorld world = new BackupWorld(temp, listener)) {
      world.setupLocalFolder();
      world.db.putDocument("users/1", "{}", "{}");

      assertThat(world.engine.run(world.db, BackupRequest.SCHEDULED).backup()).isPresent();
      world.engine.run(world.db, BackupRequest.SCHEDULED);

      assertThat(events)
          .containsExactly("started Full", "succeeded", "started Incremental", "nothing changed");
      assertThat(world.status().history()).hasSize(1);
    }
  }
}
