package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.api.source.ImageFormat;
import org.periodicbackups.api.source.RestoreBatch;
import org.periodicbackups.api.source.RestoreTarget;
import org.periodicbackups.api.source.StagedRestore;
import org.periodicbackups.core.dump.DumpHeader;
import org.periodicbackups.core.dump.DumpReader;
import org.periodicbackups.core.dump.EncryptionKeys;
import org.periodicbackups.core.restore.ContentCheck;
import org.periodicbackups.core.restore.RestoreResult;
import org.periodicbackups.store.sqlite.DatabaseContents;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * Proof of recovery through the real engine, store and filesystem destination: every backup file
 * records the source's content at its cut, and a restore into a new database proves it rebuilt
 * exactly that, or fails leaving no database.
 */
class ContentProofTest {
  @TempDir Path temp;

  /** A full and an incremental with documents, a replaced attachment and deletions. */
  private static List<String> backUpTwoFiles(BackupWorld world) throws IOException {
    world.setupLocalFolder("gzip", 6);
    world.db.putDocument("users/1", "{}", "{\"Name\":\"Ann\"}");
    world.db.putDocument("users/2", "{}", "{\"Name\":\"Bob\"}");
    world.db.putAttachment("files/a", "{}", new ByteArrayInputStream(new byte[300_000]));
    String full = world.backUp();
    world.db.deleteDocument("users/2");
    world.db.putDocument("users/3", "{\"@collection\":\"Users\"}", "{\"Name\":\"Cy\"}");
    world.db.putAttachment("files/a", "{}", new ByteArrayInputStream("v2".getBytes()));
    return List.of(full, world.backUp());
  }

  @Test
  void everyFileRecordsTheSourcesContentAtItsCutAndARestoreProvesIt() throws IOException {
    try (BackupWorld world = new BackupWorld(temp)) {
      List<String> names = backUpTwoFiles(world);
      ContentDigest source = world.db.content();
      assertThat(header(world, names.get(1)).content()).isEqualTo(source);
      assertThat(header(world, names.get(0)).content().documents()).isEqualTo(2);

      RestoreResult result =
          world.restoreResult(
              world.newDatabaseTarget("proved"), world.backups, null, EncryptionKeys.none());

      assertThat(result.content().matched()).isTrue();
      assertThat(result.content().content()).isEqualTo(source);
      assertThat(result.content().describe())
          .startsWith(
              "content proved equal to the source at "
                  + names.get(1)
                  + ": 2 documents,"
                  + " 1 attachment, digest ");

      // Up to the full only: its own content.
      RestoreResult first =
          world.restoreResult(
              world.newDatabaseTarget("first"), world.backups, names.get(0), EncryptionKeys.none());
      assertThat(first.content().content()).isEqualTo(header(world, names.get(0)).content());
    }
  }

  @Test
  void aHeaderForgedWithAValidChecksumFailsTheRestoreAndLeavesNoDatabase() throws IOException {
    try (BackupWorld world = new BackupWorld(temp)) {
      List<String> names = backUpTwoFiles(world);
      // The last file: no later file vouches for its SHA-256, so rewriting it is undetectable
      // by checksums. Its header now claims one document more.
      Path last = world.backups.resolve(names.get(1));
      String json = gunzip(last);
      String forged = json.replace("\"Documents\":2,", "\"Documents\":3,");
      assertThat(forged).isNotEqualTo(json);
      Files.write(last, gzip(forged));

      RestoreTarget target = world.newDatabaseTarget("forged");
      assertThatThrownBy(
              () -> world.restoreResult(target, world.backups, null, EncryptionKeys.none()))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageContaining(names.get(1))
          .hasMessageContaining("does not equal the source")
          .hasMessageContaining("the file records 3 documents, 1 attachment")
          .hasMessageContaining("the restored database holds 2 documents, 1 attachment");
      assertThat(world.restoredExists("forged")).isFalse();
    }
  }

  @Test
  void aRestoredDatabaseAlteredBeforeTheCheckIsCaught() throws IOException {
    try (BackupWorld world = new BackupWorld(temp)) {
      backUpTwoFiles(world);
      RestoreTarget altering = new AlteringTarget(world.newDatabaseTarget("altered"));

      assertThatThrownBy(
              () -> world.restoreResult(altering, world.backups, null, EncryptionKeys.none()))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageContaining("the file records 2 documents")
          .hasMessageContaining("the restored database holds 3 documents");
      assertThat(world.restoredExists("altered")).isFalse();
    }
  }

  @Test
  void aRestoreInPlaceIntoAnExistingDatabaseSaysItProvedNothing() throws IOException {
    try (BackupWorld world = new BackupWorld(temp)) {
      backUpTwoFiles(world);
      SqliteDatabase existing = world.newTarget();
      RestoreResult result =
          world.restoreResult(existing, world.backups, null, EncryptionKeys.none());
      assertThat(result.content().status()).isEqualTo(ContentCheck.Status.NOT_CHECKED);
      assertThat(result.content().describe())
          .isEqualTo(
              "content not proved: applied in place to an existing database (a restore into a"
                  + " new database proves it)");
      assertThat(DatabaseContents.of(existing)).isEqualTo(DatabaseContents.of(world.db));
    }
  }

  /** A target whose staged database gains a document after the chain applied. */
  private record AlteringTarget(RestoreTarget delegate) implements RestoreTarget {
    @Override
    public String databaseName() {
      return delegate.databaseName();
    }

    @Override
    public RestoreBatch beginBatch() throws IOException {
      return delegate.beginBatch();
    }

    @Override
    public List<ImageFormat> imageFormats() {
      return delegate.imageFormats();
    }

    @Override
    public Optional<StagedRestore> stage() throws IOException {
      return delegate.stage().map(AlteringStage::new);
    }
  }

  private record AlteringStage(StagedRestore delegate) implements StagedRestore {
    @Override
    public String databaseName() {
      return delegate.databaseName();
    }

    @Override
    public RestoreBatch beginBatch() throws IOException {
      return delegate.beginBatch();
    }

    @Override
    public Optional<ContentDigest> computeContent() throws IOException {
      try (RestoreBatch batch = delegate.beginBatch()) {
        batch.putDocument("planted/1", "{}", "{}");
        batch.commit();
      }
      return delegate.computeContent();
    }

    @Override
    public void check() throws IOException {
      delegate.check();
    }

    @Override
    public void commit() throws IOException {
      delegate.commit();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  private static DumpHeader header(BackupWorld world, String name) throws IOException {
    try (InputStream in = Files.newInputStream(world.backups.resolve(name))) {
      return DumpReader.readHeader(in, name, EncryptionKeys.none());
    }
  }

  private static String gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
