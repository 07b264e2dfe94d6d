package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.core.dump.BackupFileName;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.DumpVisitor;
import org.periodicbackups.core.restore.ChainRestorer;
import org.periodicbackups.core.restore.RestorePlan;
import org.periodicbackups.core.restore.RestoreRequest;
import org.periodicbackups.destination.filesystem.FilesystemDestination;
import org.periodicbackups.store.sqlite.DatabaseContents;

/**
 * Continuous backup with compaction through the real engine, store and filesystem destination: a
 * backup a second, merged into 10-second and then minute files; the restore reads the fewest files
 * and rebuilds the same database (its content digest checked), point-in-time restores to kept files
 * still work, and no removal or interruption leaves the chain unrestorable.
 */
class CompactionTest {
  @TempDir Path temp;

  private static void setup(BackupWorld world, String keep) throws IOException {
    world.setup(
        "{\"LocalFolderName\": "
            + BackupWorld.quote(world.backups.toString())
            + ", \"IntervalMilliseconds\": 1000, \"CompactionMilliseconds\": [10000, 60000]"
            + keep
            + "}");
  }

  /** A change of every kind: new, replaced and deleted documents and attachments. */
  private static void change(BackupWorld world, int i) throws IOException {
    world.db.putDocument("users/" + i, "{}", "{\"N\":" + i + "}");
    world.db.putDocument("counters/" + (i % 7), "{}", "{\"At\":" + i + "}");
    if (i % 5 == 0) {
      world.db.deleteDocument("users/" + (i - 3));
    }
    if (i % 11 == 0) {
      world.db.deleteDocument("counters/" + (i % 7)); // deleted, then written again later
    }
    if (i % 4 == 0) {
      world.db.putAttachment(
          "files/" + (i % 3),
          "{}",
          new ByteArrayInputStream(("v" + i).repeat(100 + i).getBytes(StandardCharsets.UTF_8)));
    }
    if (i % 9 == 0) {
      world.db.deleteAttachment("files/" + (i % 3));
    }
  }

  private static List<String> stored(BackupWorld world) throws IOException {
    try (Stream<Path> files = Files.walk(world.backups)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> world.backups.relativize(p).toString().replace('\\', '/'))
          .filter(n -> BackupFileName.parse(n).isPresent())
          .sorted()
          .toList();
    }
  }

  private static RestorePlan plan(BackupWorld world, RestoreRequest request) throws IOException {
    try (FilesystemDestination destination = new FilesystemDestination(world.backups)) {
      return new ChainRestorer().plan(destination, request);
    }
  }

  @Test
  void aBackupASecondIsMergedIntoCoarserFilesAndRestoresTheSameDatabaseFromFewFiles()
      throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BackupMetrics metrics = new BackupMetrics();
    metrics.bindTo(registry);
    try (BackupWorld world = new BackupWorld(temp, metrics)) {
      setup(world, "");
      world.db.putDocument("users/0", "{}", "{}");
      world.backUp();
      Map<String, DatabaseContents> states = new LinkedHashMap<>();
      for (int i = 1; i <= 200; i++) {
        change(world, i);
        states.put(world.backUp(), DatabaseContents.of(world.db));
      }
      List<String> names = stored(world);
      assertThat(names).anyMatch(n -> n.contains(".level1.")).anyMatch(n -> n.contains(".level2."));
      // Second files older than a minute (the default keep of level 0) are removed once merged.
      long fine =
          names.stream().filter(n -> BackupFileName.parse(n).orElseThrow().level() == 0).count();
      assertThat(fine).isLessThan(100);
      double compactedFiles =
          registry.get("pbk.compaction.files").tag("action", "written").counter().count();
      double removedFiles =
          registry.get("pbk.compaction.files").tag("action", "removed").counter().count();
      assertThat(compactedFiles)
          .isEqualTo(names.stream().filter(n -> n.contains(".level")).count());
      assertThat(removedFiles)
          .isEqualTo(201 + compactedFiles - names.size()); // all written, less what is left
      assertThat(registry.get("pbk.compaction.requests").counter().count())
          .isGreaterThan(compactedFiles + removedFiles);
      assertThat(registry.get("pbk.uploaded.files").counter().count()).isEqualTo(201);

      RestorePlan latest = plan(world, RestoreRequest.latest("shop"));
      assertThat(latest.files()).hasSizeLessThan(25);
      assertThat(latest.files()).anyMatch(f -> f.name().level() == 2);
      assertThat(world.restore(world.backups, null)).isEqualTo(DatabaseContents.of(world.db));

      // Every file still stored restores the state of its time, through coarser files before it.
      List<String> written = new ArrayList<>(states.keySet());
      int checked = 0;
      for (String name : written.subList(written.size() - 40, written.size())) {
        if (names.contains(name) && checked++ < 6) {
          assertThat(world.restore(world.backups, name)).as(name).isEqualTo(states.get(name));
        }
      }
      assertThat(checked).isGreaterThanOrEqualTo(6);

      // A compacted file's header says which file it stands for, and the next file names that one.
      String compacted =
          names.stream().filter(n -> n.contains(".level1.")).reduce((a, b) -> b).orElseThrow();
      DumpHeader header = header(world, compacted);
      assertThat(header.compacts()).isNotNull();
      assertThat(header.compacts().files())
          .isEqualTo(BackupFileName.parse(compacted).orElseThrow().positions());
      assertThat(written).contains(header.compacts().last());
    }
  }

  @Test
  void mergedFilesAreKeptForTheirKeepDurationForPointInTimeRestores() throws IOException {
    try (BackupWorld world = new BackupWorld(temp)) {
      setup(world, ", \"CompactionKeepMilliseconds\": [3600000, 86400000]");
      world.db.putDocument("users/0", "{}", "{}");
      world.backUp();
      List<String> written = new ArrayList<>();
      Map<String, DatabaseContents> states = new LinkedHashMap<>();
      for (int i = 1; i <= 90; i++) {
        change(world, i);
        String name = world.backUp();
        written.add(name);
        states.put(name, DatabaseContents.of(world.db));
      }
      List<String> names = stored(world);
      assertThat(names).containsAll(written); // nothing removed within the hour
      assertThat(names).anyMatch(n -> n.contains(".level2."));
      assertThat(plan(world, RestoreRequest.latest("shop")).files()).hasSizeLessThan(15);
      String early = written.get(12);
      assertThat(world.restore(world.backups, early)).isEqualTo(states.get(early));
      // A point in time inside a merged window restores the finer file of that time.
      RestorePlan at =
          plan(
              world,
              RestoreRequest.latest("shop")
                  .until(BackupFileName.parse(early).orElseThrow().createdAt()));
      assertThat(at.last().name().path()).isEqualTo(early);
    }
  }

  @Test
  void whatAnInterruptedCompactionLeavesStillRestores() throws IOException {
    try (BackupWorld world = new BackupWorld(temp)) {
      setup(world, ", \"CompactionKeepMilliseconds\": [3600000, 86400000]");
      world.db.putDocument("users/0", "{}", "{}");
      world.backUp();
      for (int i = 1; i <= 75; i++) {
        change(world, i);
        world.backUp();
      }
      DatabaseContents source = DatabaseContents.of(world.db);
      List<String> names = stored(world);
      List<String> coarse = names.stream().filter(n -> n.contains(".level")).toList();
      assertThat(coarse).isNotEmpty();
      // Killed during a merge, before its upload: the finer files only.
      Path aside = Files.createDirectories(temp.resolve("aside"));
      for (String name : coarse) {
        Files.move(world.backups.resolve(name), aside.resolve(name.replace('/', '_')));
      }
      assertThat(world.restore(world.backups, null)).isEqualTo(source);
      for (String name : coarse) {
        Files.move(aside.resolve(name.replace('/', '_')), world.backups.resolve(name));
      }
      // Killed during a removal: every other merged file gone, the coarse files stand for them.
      List<BackupFileName> ranges =
          coarse.stream().map(n -> BackupFileName.parse(n).orElseThrow()).toList();
      List<String> fine =
          names.stream()
              .filter(n -> !n.contains(".level"))
              .filter(
                  n -> {
                    int at = BackupFileName.parse(n).orElseThrow().sequence();
                    return ranges.stream()
                        .anyMatch(c -> c.sequence() <= at && at <= c.lastSequence());
                  })
              .toList();
      assertThat(fine).hasSizeGreaterThan(20);
      for (int i = 0; i < fine.size(); i += 2) {
        Files.delete(world.backups.resolve(fine.get(i)));
      }
      assertThat(world.restore(world.backups, null)).isEqualTo(source);
      change(world, 1000);
      world.backUp();
      assertThat(world.restore(world.backups, null)).isEqualTo(DatabaseContents.of(world.db));
      try (Stream<Path> left = Files.list(world.root.resolve("work"))) {
        assertThat(left).as("temporary files left in the work folder").isEmpty();
      }
    }
  }

  private static DumpHeader header(BackupWorld world, String name) throws IOException {
    try (InputStream in = Files.newInputStream(world.backups.resolve(name))) {
      return DumpReader.read(in, name, new DumpVisitor() {});
    }
  }
}
