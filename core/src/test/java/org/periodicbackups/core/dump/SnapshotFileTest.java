package org.periodicbackups.core.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.source.ImageFormat;
import org.periodicbackups.api.source.SnapshotImage;

class SnapshotFileTest {
  private static final ImageFormat FORMAT = new ImageFormat("test-store", 3);
  private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");
  private static final EncryptionKey KEY = EncryptionKey.generate();

  /** 2.5 frames of random bytes, so that frames are full, partial and counted. */
  private static final byte[] IMAGE = random(SnapshotFile.MAX_FRAME * 5 / 2, 1);

  @ParameterizedTest(name = "{0}, encrypted: {1}")
  @CsvSource({"GZIP, false", "GZIP, true", "ZSTD, false", "ZSTD, true"})
  void theImageComesBackWithItsHeaderAndTrailer(DumpCodec codec, boolean encrypted)
      throws IOException {
    EncryptionKey key = encrypted ? KEY : null;
    byte[] file = write(codec, key, IMAGE);

    ByteArrayOutputStream image = new ByteArrayOutputStream();
    SnapshotFile.Read<Long> read =
        SnapshotFile.read(
            new ByteArrayInputStream(file),
            "shop/x/000000-x.snapshot.img",
            EncryptionKeys.of(KEY),
            (header, in) -> in.transferTo(image));

    assertThat(image.toByteArray()).isEqualTo(IMAGE);
    assertThat(read.result()).isEqualTo(IMAGE.length);
    assertThat(read.header().image()).isEqualTo(FORMAT);
    assertThat(read.header().toEtag()).isEqualTo(42);
    assertThat(read.header().keyId()).isEqualTo(encrypted ? KEY.keyId() : null);
    assertThat(read.trailer().size()).isEqualTo(IMAGE.length);
    assertThat(read.trailer().sha256()).isEqualTo(sha256(IMAGE));
    // The header is the first line of the decompressed bytes, readable by standard tools.
    assertThat(DumpReader.readHeader(new ByteArrayInputStream(file), "f", EncryptionKeys.of(KEY)))
        .isEqualTo(read.header());
  }

  @Test
  void theFirstLineIsTheHeaderAndTheLastTheTrailer() throws IOException {
    byte[] plain = gunzip(write(DumpCodec.GZIP, null, "image bytes".getBytes()));
    String text = new String(plain, StandardCharsets.ISO_8859_1);
    assertThat(text.substring(0, text.indexOf('\n')))
        .startsWith("{\"Backup\":{\"FormatVersion\":2,\"Database\":\"shop\",\"Type\":\"Full\"")
        .endsWith(
            "\"Image\":{\"Format\":\"test-store\",\"Version\":3},\"Content\":{\"Algorithm\":\"none\"}}}");
    assertThat(text)
        .endsWith(
            "{\"Image\":{\"Size\":11,\"Sha256\":\"" + sha256("image bytes".getBytes()) + "\"}}\n");
  }

  @Test
  void aConsumerThatReadsNothingStillHasTheImageChecked() throws IOException {
    byte[] tampered = tamperTrailer(write(DumpCodec.GZIP, null, IMAGE));
    assertThatThrownBy(
            () ->
                SnapshotFile.read(
                    new ByteArrayInputStream(tampered),
                    "s.img",
                    EncryptionKeys.none(),
                    (h, in) -> 0))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("s.img")
        .hasMessageContaining("but its trailer says");
  }

  @Test
  void theConsumerNeverSeesTheEndOfAnImageWhoseTrailerDisagrees() throws IOException {
    byte[] tampered = tamperTrailer(write(DumpCodec.GZIP, null, IMAGE));
    boolean[] sawEnd = {false};
    assertThatThrownBy(
            () ->
                SnapshotFile.read(
                    new ByteArrayInputStream(tampered),
                    "s.img",
                    EncryptionKeys.none(),
                    (h, in) -> {
                      try {
                        in.transferTo(OutputStream.nullOutputStream());
                        sawEnd[0] = true;
                      } catch (IOException e) {
                        // what a store would do: wrap the failure in its own
                        throw new IOException("cannot write the staged database", e);
                      }
                      return 0;
                    }))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("its image is " + IMAGE.length + " bytes");
    assertThat(sawEnd[0]).isFalse();
  }

  @ParameterizedTest(name = "{0}, encrypted: {1}")
  @CsvSource({"GZIP, false", "ZSTD, false", "ZSTD, true"})
  void damagedAndTruncatedFilesAreRefusedNamingTheFile(DumpCodec codec, boolean encrypted)
      throws IOException {
    byte[] file = write(codec, encrypted ? KEY : null, IMAGE);
    byte[] flipped = file.clone();
    flipped[file.length / 2] ^= 0x40;
    byte[] cut = Arrays.copyOf(file, file.length - 100);
    for (byte[] bad : new byte[][] {flipped, cut}) {
      assertThatThrownBy(
              () ->
                  SnapshotFile.read(
                      new ByteArrayInputStream(bad),
                      "shop/c/000000-c.snapshot.img.zst",
                      EncryptionKeys.of(KEY),
                      (h, in) -> in.transferTo(OutputStream.nullOutputStream())))
          .isInstanceOf(InvalidBackupException.class)
          .hasMessageContaining("shop/c/000000-c.snapshot.img.zst");
    }
  }

  @Test
  void aDumpReaderRefusesASnapshotFileAndTheSnapshotReaderADump() throws IOException {
    byte[] snapshot = write(DumpCodec.GZIP, null, IMAGE);
    assertThatThrownBy(
            () -> DumpReader.read(new ByteArrayInputStream(snapshot), "s", new DumpVisitor() {}))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("is a snapshot file holding an image of test-store version 3");

    ByteArrayOutputStream dump = new ByteArrayOutputStream();
    try (DumpWriter writer = DumpWriter.open(dump, DumpHeader.full("shop", AT, 0))) {
      writer.finish();
    }
    assertThatThrownBy(
            () ->
                SnapshotFile.read(
                    new ByteArrayInputStream(dump.toByteArray()),
                    "d",
                    EncryptionKeys.none(),
                    (h, in) -> 0))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("d");
  }

  @Test
  void anImageOfAnotherFormatThanTheHeaderIsNotWritten() {
    SnapshotImage other = image(new ImageFormat("other", 1), IMAGE);
    assertThatThrownBy(
            () ->
                SnapshotFile.write(
                    OutputStream.nullOutputStream(),
                    header(DumpCodec.GZIP, null),
                    DumpCompression.of(DumpCodec.GZIP, null, 1),
                    null,
                    other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other version 1");
  }

  private static byte[] write(DumpCodec codec, EncryptionKey key, byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SnapshotFile.write(
        out, header(codec, key), DumpCompression.of(codec, null, 2), key, image(FORMAT, bytes));
    return out.toByteArray();
  }

  private static DumpHeader header(DumpCodec codec, EncryptionKey key) {
    return new DumpHeader(
            DumpHeader.FORMAT_VERSION,
            "shop",
            BackupType.FULL,
            AT,
            0,
            42,
            codec.codecName(),
            null,
            null)
        .withEncryption(key)
        .withImage(FORMAT);
  }

  private static SnapshotImage image(ImageFormat format, byte[] bytes) {
    return new SnapshotImage() {
      @Override
      public ImageFormat format() {
        return format;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        // in odd pieces, as a store's copy would
        for (int i = 0; i < bytes.length; i += 70_001) {
          out.write(bytes, i, Math.min(70_001, bytes.length - i));
        }
      }
    };
  }

  /** The gzip file with one hex digit of its trailer's SHA-256 changed. */
  private static byte[] tamperTrailer(byte[] gzip) throws IOException {
    byte[] plain = gunzip(gzip);
    int at = new String(plain, StandardCharsets.ISO_8859_1).lastIndexOf("\"Sha256\":\"") + 10;
    plain[at] = (byte) (plain[at] == '0' ? '1' : '0');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gzip) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(SnapshotFile.sha256().digest(bytes));
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
