package org.periodicbackups.core.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.Document;

/** Both codecs, in one thread and in several: round trips, standard tools, damaged files. */
class DumpCodecTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long SEED = 20261128L;

  /** Enough documents for several parallel gzip blocks (about 3 MiB of JSON). */
  private static final int DOCS = 30_000;

  static Stream<DumpCompression> compressions() {
    return Stream.of(
        new DumpCompression(DumpCodec.GZIP, 6, 1),
        new DumpCompression(DumpCodec.GZIP, 1, 2),
        new DumpCompression(DumpCodec.GZIP, 1, 3),
        new DumpCompression(DumpCodec.ZSTD, 3, 1),
        new DumpCompression(DumpCodec.ZSTD, 1, 2));
  }

  @ParameterizedTest
  @MethodSource("compressions")
  void readsBackWhatWasWritten(DumpCompression compression) throws Exception {
    byte[] attachment = randomBytes(3 * 1024 * 1024 + 11);
    DumpHeader header = header(compression.codec());
    byte[] file = write(compression, header, attachment);

    long[] docs = new long[1];
    MessageDigest read = MessageDigest.getInstance("SHA-256");
    DumpHeader got =
        DumpReader.read(
            new ByteArrayInputStream(file),
            "f",
            new DumpVisitor() {
              @Override
              public void document(String key, long etag, String metadataJson, String bodyJson) {
                assertThat(key).isEqualTo("docs/" + etag);
                assertThat(bodyJson).contains("body text number " + etag + "\"");
                docs[0]++;
              }

              @Override
              public OutputStream attachment(
                  String key, long etag, String metadataJson, long size) {
                return new DigestOutputStream(OutputStream.nullOutputStream(), read);
              }
            });

    assertThat(got).isEqualTo(header);
    assertThat(docs[0]).isEqualTo(DOCS);
    assertThat(read.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(attachment));
  }

  @Test
  void parallelGzipIsOneFileForPlainGzipInputStream() throws Exception {
    byte[] file =
        write(new DumpCompression(DumpCodec.GZIP, 1, 2), header(DumpCodec.GZIP), new byte[10]);
    assertThat(members(file)).as("gzip members").isGreaterThan(1);

    JsonNode json = MAPPER.readTree(new GZIPInputStream(new ByteArrayInputStream(file)));

    assertThat(json.at("/Backup/Codec").asText()).isEqualTo("gzip");
    assertThat(json.get("Docs").size()).isEqualTo(DOCS);
    assertThat(json.at("/Attachments/0/Size").asLong()).isEqualTo(10);
  }

  @Test
  void parallelGzipIsReadWholeFromAStreamThatNeverSaysBytesAreAvailable() throws Exception {
    byte[] file =
        write(new DumpCompression(DumpCodec.GZIP, 1, 2), header(DumpCodec.GZIP), new byte[10]);
    long[] docs = new long[1];
    // Like a network stream: available() is 0 at every gzip member boundary.
    InputStream network =
        new java.io.FilterInputStream(new ByteArrayInputStream(file)) {
          @Override
          public int available() {
            return 0;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1000));
          }
        };

    DumpReader.read(
        network,
        "s3.json.gz",
        new DumpVisitor() {
          @Override
          public void document(String key, long etag, String metadataJson, String bodyJson) {
            docs[0]++;
          }
        });

    assertThat(docs[0]).isEqualTo(DOCS);
  }

  @Test
  void zstdFileOpensWithAPlainZstdStream() throws Exception {
    byte[] file =
        write(new DumpCompression(DumpCodec.ZSTD, 3, 2), header(DumpCodec.ZSTD), new byte[10]);

    JsonNode json = MAPPER.readTree(new ZstdInputStream(new ByteArrayInputStream(file)));

    assertThat(json.at("/Backup/Codec").asText()).isEqualTo("zstd");
    assertThat(json.get("Docs").size()).isEqualTo(DOCS);
  }

  @Test
  void corruptZstdIsRefusedNamingTheFile() throws Exception {
    byte[] file =
        write(new DumpCompression(DumpCodec.ZSTD, 3, 1), header(DumpCodec.ZSTD), new byte[10]);
    byte[] damaged = file.clone();
    damaged[damaged.length / 2] ^= 0x5a;

    assertThatThrownBy(() -> readAll(damaged, "shop/c/000001-x.incremental.json.zst"))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("shop/c/000001-x.incremental.json.zst");
  }

  @Test
  void truncatedZstdIsRefusedAsTruncated() throws Exception {
    byte[] file =
        write(new DumpCompression(DumpCodec.ZSTD, 3, 1), header(DumpCodec.ZSTD), new byte[10]);
    byte[] cut = Arrays.copyOf(file, file.length - 100);

    assertThatThrownBy(() -> readAll(cut, "cut.json.zst"))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("cut.json.zst")
        .hasMessageContaining("truncated");
  }

  @Test
  void headerCodecMustMatchTheCompression() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream zstd = new ZstdOutputStream(out)) {
      zstd.write(
          (DumpFiles.fullHeaderJson(1)
                  + ",\"Docs\":[],\"Attachments\":[],"
                  + "\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}")
              .getBytes(StandardCharsets.UTF_8));
    }

    assertThatThrownBy(() -> readAll(out.toByteArray(), "liar.json.zst"))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("liar.json.zst")
        .hasMessageContaining("Codec 'gzip'")
        .hasMessageContaining("zstd-compressed");
  }

  @Test
  void neitherGzipNorZstdIsRefused() {
    assertThatThrownBy(() -> readAll("{\"Backup\":{}}".getBytes(StandardCharsets.UTF_8), "p.json"))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("p.json")
        .hasMessageContaining("neither gzip nor zstd");
    assertThatThrownBy(() -> readAll(new byte[0], "empty.json.gz"))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("empty");
  }

  @ParameterizedTest
  @MethodSource("compressions")
  void abandonedFileIsNotAValidBackup(DumpCompression compression) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DumpWriter writer = DumpWriter.open(out, header(compression.codec()), compression)) {
      for (int i = 1; i <= DOCS; i++) {
        writer.writeDocument(document(i));
      }
    }

    assertThatThrownBy(() -> readAll(out.toByteArray(), "partial"))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("partial");
  }

  @ParameterizedTest
  @MethodSource("compressions")
  void openCompressesArbitraryBytesForStandardReaders(DumpCompression compression)
      throws Exception {
    byte[] data = randomBytes(5 * 1024 * 1024 + 3);
    Arrays.fill(data, 0, 2 * 1024 * 1024, (byte) 'a');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream compressing = compression.open(out)) {
      compressing.write(data);
    }

    byte[] file = out.toByteArray();
    InputStream plain =
        compression.codec() == DumpCodec.GZIP
            ? new GZIPInputStream(new ByteArrayInputStream(file))
            : new ZstdInputStream(new ByteArrayInputStream(file));
    assertThat(plain.readAllBytes()).isEqualTo(data);
  }

  @Test
  void writerRefusesACompressionOtherThanTheHeadersCodec() {
    assertThatThrownBy(
            () ->
                DumpWriter.open(
                    new ByteArrayOutputStream(),
                    header(DumpCodec.GZIP),
                    new DumpCompression(DumpCodec.ZSTD, 3, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'gzip'");
    assertThatThrownBy(() -> new DumpCompression(DumpCodec.GZIP, 12, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 9");
  }

  @Test
  void fileNamesCarryTheCodec() {
    Instant t = Instant.parse("2026-11-28T14:43:00.123Z");
    BackupFileName zst = BackupFileName.full("shop", t, DumpCodec.ZSTD);
    assertThat(zst.path())
        .isEqualTo("shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.zst");
    assertThat(BackupFileName.parse(zst.path())).contains(zst);
    BackupFileName next = zst.next(t.plusSeconds(1), DumpCodec.GZIP);
    assertThat(next.fileName()).endsWith("000001-20261128T144301.123Z.incremental.json.gz");
    assertThat(BackupFileName.parse(next.path()).orElseThrow().codec()).isEqualTo(DumpCodec.GZIP);
    assertThat(BackupFileName.full("shop", t).codec()).isEqualTo(DumpCodec.GZIP);
    assertThat(
            BackupFileName.parse(
                "shop/20261128T144300.123Z/000000-20261128T144300.123Z" + ".full.json.bz2"))
        .isEmpty();
  }

  private static DumpHeader header(DumpCodec codec) {
    return new DumpHeader(
        DumpHeader.FORMAT_VERSION,
        "shop",
        BackupType.FULL,
        DumpFiles.CREATED,
        0,
        DOCS + 1,
        codec.codecName(),
        null,
        null);
  }

  private static Document document(int i) {
    return new Document(
        "docs/" + i,
        i,
        "{\"Raven-Entity-Name\":\"Docs\"}",
        "{\"text\":\"some body text number " + i + "\",\"n\":" + i + "}");
  }

  private static byte[] write(DumpCompression compression, DumpHeader header, byte[] attachment)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DumpCounts counts;
    try (DumpWriter writer = DumpWriter.open(out, header, compression)) {
      for (int i = 1; i <= DOCS; i++) {
        writer.writeDocument(document(i));
      }
      writer.writeAttachment(
          new AttachmentInfo("files/a", DOCS + 1, "{}", attachment.length),
          new ByteArrayInputStream(attachment));
      counts = writer.finish();
    }
    assertThat(counts.documents()).isEqualTo(DOCS);
    return out.toByteArray();
  }

  private static void readAll(byte[] file, String name) throws IOException {
    try (InputStream in = new ByteArrayInputStream(file)) {
      DumpReader.read(in, name, new DumpVisitor() {});
    }
  }

  /** Counts gzip member headers (1f 8b 08) at member starts, by decoding member by member. */
  private static int members(byte[] file) {
    int count = 0;
    for (int i = 0; i + 2 < file.length; i++) {
      if (file[i] == 0x1f && file[i + 1] == (byte) 0x8b && file[i + 2] == 8) {
        count++;
      }
    }
    return count;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(SEED).nextBytes(bytes);
    return bytes;
  }
}
