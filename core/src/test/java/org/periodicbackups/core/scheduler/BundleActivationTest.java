package org.periodicbackups.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.store.sqlite.SqliteStore;

class BundleActivationTest {
  @TempDir Path temp;
  SqliteStore store;

  @BeforeEach
  void setUp() throws IOException {
    store = new SqliteStore(temp);
  }

  @AfterEach
  void tearDown() throws IOException {
    store.close();
  }

  @Test
  void globalConfigurationActivatesEveryDatabase() throws IOException {
    BundleActivation activation =
        new BundleActivation(Map.of("Raven/ActiveBundles", "Replication;PeriodicBackups"));

    assertThat(activation.isGloballyActive()).isTrue();
    assertThat(activation.isActiveFor(store.create("plain", Map.of()))).isTrue();
  }

  @Test
  void databaseSettingActivatesOnlyThatDatabase() throws IOException {
    BundleActivation activation = BundleActivation.perDatabase();

    assertThat(
            activation.isActiveFor(
                store.create("shop", Map.of("Raven/ActiveBundles", "PeriodicBackups"))))
        .isTrue();
    assertThat(activation.isActiveFor(store.create("plain", Map.of()))).isFalse();
    assertThat(
            activation.isActiveFor(
                store.create("other", Map.of("Raven/ActiveBundles", "Replication"))))
        .isFalse();
  }

  @Test
  void olderNamesCaseAndSpacesAreAccepted() {
    assertThat(BundleActivation.listsBundle("PeriodicBackup")).isTrue();
    assertThat(BundleActivation.listsBundle("Versioning; periodicexport ")).isTrue();
    assertThat(BundleActivation.listsBundle(" PERIODICBACKUPS ;")).isTrue();
    assertThat(
            new BundleActivation(Map.of("raven/activebundles", "PeriodicExport"))
                .isGloballyActive())
        .isTrue();
  }

  @Test
  void absentOrOtherBundlesDoNotActivate() {
    assertThat(BundleActivation.listsBundle(null)).isFalse();
    assertThat(BundleActivation.listsBundle("")).isFalse();
    assertThat(BundleActivation.listsBundle("Replication;PeriodicBackupsX")).isFalse();
    assertThat(new BundleActivation(Map.of("Raven/Other", "PeriodicBackups")).isGloballyActive())
        .isFalse();
  }
}
