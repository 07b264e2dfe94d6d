package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.config.PeriodicBackupStatus;
import org.periodicbackups.api.model.SystemDocuments;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/** Encryption through the real engine, the filesystem destination and the chain restore. */
class EncryptedChainTest {
  @TempDir Path temp;

  @Test
  void mixedChainOfPlainAndEncryptedFilesWithARotatedKeyRestores() throws IOException {
    EncryptionKey first = EncryptionKey.generate();
    EncryptionKey second = EncryptionKey.generate();
    List<String> names = new ArrayList<>();
    try (BackupWorld world = new BackupWorld(temp)) {
      world.setupLocalFolder();
      world.db.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
      names.add(run(world)); // plain full: no key yet
      world.db.putSecuredSetting(EncryptionKey.SETTING, first.toBase64());
      world.db.putDocument("users/2", "{}", "{\"Name\":\"Bob\"}");
      world.db.putAttachment("files/a", "{}", new ByteArrayInputStream(random(3_000_000)));
      names.add(run(world)); // encrypted with the first key
      world.setupLocalFolder("zstd", 3);
      world.db.putSecuredSetting(EncryptionKey.SETTING, second.toBase64());
      world.db.deleteDocument("users/1");
      world.db.putDocument("users/3", "{}", "{\"Name\":\"Cy\"}");
      names.add(run(world)); // rotated
      DatabaseContents expected = DatabaseContents.of(world.db);

      assertThat(names.get(0)).endsWith(".full.json.gz");
      assertThat(names.get(1)).endsWith(".incremental.json.gz.enc");
      assertThat(names.get(2)).endsWith(".incremental.json.zst.enc");
      assertThat(header(world.backups.resolve(names.get(1)), first).keyId())
          .isEqualTo(first.keyId());
      assertThat(header(world.backups.resolve(names.get(2)), second).encryption())
          .isEqualTo("aes-256-gcm-hkdf");
      assertThat(
              world
                  .restore(world.backups, null, EncryptionKeys.of(second, first))
                  .differenceFrom(expected))
          .isNull();
      assertThat(world.restore(world.backups, names.get(1), EncryptionKeys.of(first)).documents())
          .containsOnlyKeys("users/1", "users/2");

      // The secret is in no backup file and not in the status document.
      assertNoKeyIn(world, first);
      assertNoKeyIn(world, second);
    }
  }

  @Test
  void encryptedFullAndIncrementalsRestoreAndWithoutTheKeyNothingIsWritten() throws IOException {
    EncryptionKey key = EncryptionKey.generate();
    try (BackupWorld world = new BackupWorld(temp)) {
      world.db.putSecuredSetting(EncryptionKey.SETTING, key.toBase64());
      world.setupLocalFolder();
      world.db.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
      String full = run(world);
      world.db.putDocument("users/2", "{}", "{\"Name\":\"Bob\"}");
      String second = run(world);
      world.db.deleteDocument("users/2");
      run(world);
      DatabaseContents expected = DatabaseContents.of(world.db);
      assertThat(full).endsWith(".full.json.gz.enc");

      assertThat(
              world.restore(world.backups, null, EncryptionKeys.of(key)).differenceFrom(expected))
          .isNull();

      SqliteDatabase noKey = world.newTarget();
      assertThatThrownBy(() -> world.restoreInto(noKey, world.backups, null, EncryptionKeys.none()))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageContaining(full)
          .hasMessageContaining(key.keyId());
      assertThat(noKey.documentCount()).isZero();

      SqliteDatabase wrongKey = world.newTarget();
      EncryptionKey other = EncryptionKey.generate();
      assertThatThrownBy(
              () -> world.restoreInto(wrongKey, world.backups, null, EncryptionKeys.of(other)))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageContaining(
              "was encrypted with key id "
                  + key.keyId()
                  + "; the keys offered have ids "
                  + other.keyId());
      assertThat(wrongKey.documentCount()).isZero();

      // A flipped byte in the middle file: refused during verification, before any write.
      Path middle = world.backups.resolve(second);
      byte[] bytes = Files.readAllBytes(middle);
      bytes[bytes.length / 2] ^= 0x10;
      Files.write(middle, bytes);
      SqliteDatabase tampered = world.newTarget();
      assertThatThrownBy(
              () -> world.restoreInto(tampered, world.backups, null, EncryptionKeys.of(key)))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageContaining(second)
          .hasMessageContaining("tampered");
      assertThat(tampered.documentCount()).isZero();
    }
  }

  @Test
  void setupThatRequiresEncryptionFailsWithoutKeyAndLeavesTheStatusAsItWas() throws IOException {
    try (BackupWorld world = new BackupWorld(temp)) {
      world.setup(
          "{\"LocalFolderName\": "
              + BackupWorld.quote(world.backups.toString())
              + ", \"Encryption\": \"aes-256-gcm-hkdf\"}");
      world.db.putDocument("users/1", "{}", "{}");
      PeriodicBackupStatus before = world.status();

      assertThatThrownBy(() -> world.engine.run(world.db, BackupRequest.SCHEDULED))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("requires encryption")
          .hasMessageContaining("pbk settings generate-encryption-key -d shop");

      PeriodicBackupStatus after = world.status();
      assertThat(after.lastError().message()).contains("requires encryption");
      assertThat(after.withError(null)).isEqualTo(before.withError(null));
      assertThat(world.backups).doesNotExist();

      EncryptionKey key = EncryptionKey.generate();
      world.db.putSecuredSetting(EncryptionKey.SETTING, key.toBase64());
      assertThat(run(world)).endsWith(".full.json.gz.enc");
    }
  }

  @Test
  void encryptionNoneWritesPlainFilesEvenWithAKey() throws IOException {
    try (BackupWorld world = new BackupWorld(temp)) {
      world.db.putSecuredSetting(EncryptionKey.SETTING, EncryptionKey.generate().toBase64());
      world.setup(
          "{\"LocalFolderName\": "
              + BackupWorld.quote(world.backups.toString())
              + ", \"Encryption\": \"none\"}");
      world.db.putDocument("users/1", "{}", "{}");
      String name = run(world);

      assertThat(name).endsWith(".full.json.gz");
      try (InputStream in = Files.newInputStream(world.backups.resolve(name))) {
        assertThat(DumpReader.readHeader(in, name).encrypted()).isFalse();
      }
    }
  }

  @Test
  void aKeySettingInAWrongFormatFailsTheRunWithoutShowingIt() throws IOException {
    String bad = "not-a-key-" + "Zm9vYmFy".repeat(3);
    try (BackupWorld world = new BackupWorld(temp)) {
      world.db.putSecuredSetting(EncryptionKey.SETTING, bad);
      world.setupLocalFolder();
      world.db.putDocument("users/1", "{}", "{}");

      assertThatThrownBy(() -> world.engine.run(world.db, BackupRequest.SCHEDULED))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(EncryptionKey.SETTING)
          .hasMessageContaining("base64")
          .message()
          .doesNotContain(bad)
          .doesNotContain("Zm9vYmFy");
      assertThat(world.status().lastError().message()).doesNotContain("Zm9vYmFy");
    }
  }

  private static void assertNoKeyIn(BackupWorld world, EncryptionKey key) throws IOException {
    String base64 = key.toBase64();
    String hex = HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(base64));
    String status = world.db.getSystemDocument(SystemDocuments.STATUS_KEY).orElseThrow();
    assertThat(status).doesNotContain(base64).doesNotContainIgnoringCase(hex);
    try (Stream<Path> files = Files.walk(world.backups)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(text).as(file.toString()).doesNotContain(base64).doesNotContain(hex);
      }
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

  private static DumpHeader header(Path file, EncryptionKey key) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return DumpReader.readHeader(in, file.toString(), EncryptionKeys.of(key));
    }
  }

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }
}
