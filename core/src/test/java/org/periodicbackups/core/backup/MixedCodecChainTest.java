package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.store.sqlite.DatabaseContents;

class MixedCodecChainTest {
  @TempDir Path temp;

  @Test
  void chainOfGzipAndZstdFilesRestoresAndNamesSayTheCodec() throws IOException {
    List<String> names = new ArrayList<>();
    DatabaseContents expected;
    try (BackupWorld world = new BackupWorld(temp)) {
      world.setupLocalFolder(); // no Compression field: gzip, as before
      world.db.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
      names.add(run(world));
      world.setupLocalFolder("zstd", 3);
      world.db.putDocument("users/2", "{}", "{\"Name\":\"Bob\"}");
      world.db.putAttachment("files/a", "{}", new java.io.ByteArrayInputStream(new byte[5000]));
      names.add(run(world));
      world.setupLocalFolder("gzip", 1);
      world.db.deleteDocument("users/1");
      names.add(run(world));
      expected = DatabaseContents.of(world.db);

      assertThat(names.get(0)).endsWith(".full.json.gz");
      assertThat(names.get(1)).endsWith(".incremental.json.zst");
      assertThat(names.get(2)).endsWith(".incremental.json.gz");
      assertThat(header(world.backups.resolve(names.get(1))).codec()).isEqualTo("zstd");
      assertThat(header(world.backups.resolve(names.get(2))).codec()).isEqualTo("gzip");
      assertThat(world.restore(world.backups, null).differenceFrom(expected)).isNull();
    }
  }

  private static String run(BackupWorld world) throws IOException {
    world.clock.advance(Duration.ofSeconds(1));
    return world
        .engine
        .run(world.db, BackupRequest.SCHEDULED)
        .backup()
        .map(BackupRecord::fileName)
        .orElseThrow();
  }

  private static DumpHeader header(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return DumpReader.readHeader(in, file.toString());
    }
  }
}
