package org.periodicbackups.core.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.Tombstone;

class EncryptedDumpTest {
  private static final String FILE =
      "shop/20261128T144300.123Z/000001-20261128T150000.000Z.incremental.json.gz.enc";
  private static final long SEED = 20261128L;

  /** Incompressible attachment bytes: the file spans several 1 MiB segments. */
  private static final int ATTACHMENT_SIZE = 3 * 1024 * 1024 + 12_345;

  private static final EncryptionKey KEY = EncryptionKey.of(bytes(1));
  private static final EncryptionKey OTHER = EncryptionKey.of(bytes(2));
  private static final EncryptionKey THIRD = EncryptionKey.of(bytes(3));

  private static byte[] cached;

  @ParameterizedTest
  @EnumSource(DumpCodec.class)
  void roundTripsEveryEntryOfAnEncryptedFile(DumpCodec codec) throws IOException {
    byte[] file = write(codec, KEY);
    Recorder read = new Recorder();

    DumpHeader header =
        DumpReader.read(new ByteArrayInputStream(file), FILE, EncryptionKeys.of(OTHER, KEY), read);

    assertThat(header.encryption()).isEqualTo("aes-256-gcm-hkdf");
    assertThat(header.keyId()).isEqualTo(KEY.keyId());
    assertThat(header.codec()).isEqualTo(codec.codecName());
    assertThat(read.entries)
        .containsExactly(
            "doc users/0",
            "doc users/1",
            "doc users/2",
            "attachment files/big " + ATTACHMENT_SIZE + " " + Arrays.hashCode(attachment()),
            "deletion users/old");
    assertThat(Arrays.copyOf(file, 4)).isEqualTo("PBKE".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("users/");
    assertThat(
            DumpReader.readHeader(new ByteArrayInputStream(file), FILE, EncryptionKeys.of(KEY))
                .toEtag())
        .isEqualTo(42);
  }

  @Test
  void refusesAnEncryptedFileWithoutKeyNamingFileKeyIdAndHowToSupplyIt() {
    assertThatThrownBy(() -> read(encrypted(), EncryptionKeys.none()))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining(FILE)
        .hasMessageContaining("encrypted with key id " + KEY.keyId())
        .hasMessageContaining("no encryption key was offered")
        .hasMessageContaining("--encryption-key-file")
        .hasMessageContaining("PBK_ENCRYPTION_KEY")
        .hasMessageContaining(EncryptionKey.SETTING);
  }

  @Test
  void refusesAWrongKeyNamingTheFileKeyIdAndTheIdsOffered() {
    List<String> offered = new ArrayList<>(List.of(OTHER.keyId(), THIRD.keyId()));
    offered.sort(null);

    assertThatThrownBy(() -> read(encrypted(), EncryptionKeys.of(OTHER, THIRD)))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageStartingWith(FILE + ": the file was encrypted")
        .hasMessageContaining(
            "was encrypted with key id "
                + KEY.keyId()
                + "; the keys offered have ids "
                + offered.get(0)
                + ", "
                + offered.get(1));
  }

  @ParameterizedTest(name = "byte {0} flipped")
  @ValueSource(ints = {14, 20, 40, 100, 1_048_600, 2_100_000, -20, -1})
  void refusesAFlippedByteAnywhereInTheCiphertext(int position) {
    byte[] file = encrypted().clone();
    int at = position < 0 ? file.length + position : position;
    file[at] ^= 0x04;

    assertDamaged(file);
  }

  @Test
  void refusesAFlippedByteInTheEnvelope() {
    byte[] version = encrypted().clone();
    version[4] = 2;
    assertThatThrownBy(() -> read(version, EncryptionKeys.of(KEY)))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining(FILE)
        .hasMessageContaining("envelope version 2");
    byte[] keyId = encrypted().clone();
    keyId[7] ^= 1;
    assertThatThrownBy(() -> read(keyId, EncryptionKeys.of(KEY)))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining(FILE)
        .hasMessageContaining("the keys offered have ids");
  }

  @ParameterizedTest(name = "cut to {0} bytes (negative: from the end)")
  @ValueSource(ints = {4, 9, 14, 30, 1_000, 1_048_576 + 14, 1_048_576 + 14 + 1 + 24, -17, -1})
  void refusesATruncatedFile(int length) {
    byte[] file = encrypted();
    byte[] cut = Arrays.copyOf(file, length < 0 ? file.length + length : length);

    assertThatThrownBy(() -> read(cut, EncryptionKeys.of(KEY)))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining(FILE)
        .message()
        .containsAnyOf("truncated", "does not authenticate");
  }

  @Test
  void refusesAFileCutAtASegmentBoundary() {
    // Envelope (14 bytes), Tink's header (40 bytes), then 1 MiB segments: cut after the second.
    byte[] file = encrypted();
    byte[] cut = Arrays.copyOf(file, 14 + 1_048_576 * 2);
    assertDamaged(cut);
  }

  @ParameterizedTest(name = "{0} byte(s) appended")
  @ValueSource(ints = {1, 16, 4096, 1_048_576})
  void refusesBytesAppendedToTheFile(int extra) {
    byte[] file = encrypted();
    byte[] tail = new byte[extra];
    new Random(SEED + extra).nextBytes(tail);
    byte[] longer = Arrays.copyOf(file, file.length + extra);
    System.arraycopy(tail, 0, longer, file.length, extra);

    assertDamaged(longer);
  }

  @Test
  void refusesAPlainFileWhoseHeaderClaimsEncryption() {
    byte[] plain =
        DumpFiles.gzip(
            DumpFiles.fullHeaderJson(1)
                    .replace(
                        "\"Codec\":\"gzip\"}",
                        "\"Codec\":\"gzip\",\"Encryption\":\"aes-256-gcm-hkdf\",\"KeyId\":\""
                            + KEY.keyId()
                            + "\"}")
                + ",\"Docs\":[],\"Attachments\":[],\"DocsDeletions\":[],"
                + "\"AttachmentsDeletions\":[]}");

    assertThatThrownBy(() -> read(plain, EncryptionKeys.of(KEY)))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("says it is encrypted")
        .hasMessageContaining("altered");
  }

  @Test
  void plainFilesStillReadWithOrWithoutKeys() throws IOException {
    byte[] plain = DumpFiles.smallIncremental();
    assertThat(read(plain, EncryptionKeys.of(KEY)).encrypted()).isFalse();
    assertThat(read(plain, EncryptionKeys.none()).toEtag()).isEqualTo(42);
  }

  @Test
  void writerRefusesAHeaderThatDoesNotNameItsKey() {
    DumpHeader header = header();
    assertThatThrownBy(
            () ->
                DumpWriter.open(
                    OutputStream.nullOutputStream(), header, DumpCompression.defaults(), KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KeyId");
  }

  @Test
  void keyIdIsAStableFingerprintThatRevealsNothingOfTheKey() {
    EncryptionKey parsed = EncryptionKey.parse(" " + KEY.toBase64() + "\n", "test");
    assertThat(parsed).isEqualTo(KEY);
    assertThat(parsed.keyId()).isEqualTo(KEY.keyId()).matches("[0-9a-f]{16}");
    assertThat(OTHER.keyId()).isNotEqualTo(KEY.keyId());
    String hex = HexFormat.of().formatHex(bytes(1));
    assertThat(hex).doesNotContain(KEY.keyId());
    assertThat(KEY.toString())
        .contains(KEY.keyId())
        .doesNotContain(KEY.toBase64())
        .doesNotContain(hex);
    assertThat(EncryptionKeys.of(KEY, OTHER).toString()).doesNotContain(KEY.toBase64());
    assertThat(EncryptionKey.generate().keyId()).isNotEqualTo(EncryptionKey.generate().keyId());
  }

  @Test
  void keyInAWrongFormatIsRefusedWithoutRepeatingIt() {
    String notBase64 = "s3cr3t!" + KEY.toBase64();
    String tooShort = Base64.getEncoder().encodeToString(Arrays.copyOf(bytes(4), 16));
    assertThatThrownBy(() -> EncryptionKey.parse(notBase64, "the file k.txt"))
        .hasMessageContaining("k.txt")
        .hasMessageContaining("not valid base64")
        .message()
        .doesNotContain(notBase64)
        .doesNotContain("s3cr3t");
    assertThatThrownBy(() -> EncryptionKey.parse(tooShort, "the file k.txt"))
        .hasMessageContaining("has 16 bytes")
        .message()
        .doesNotContain(tooShort);
  }

  private static void assertDamaged(byte[] file) {
    assertThatThrownBy(() -> read(file, EncryptionKeys.of(KEY)))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining(FILE)
        .hasMessageContaining("does not authenticate")
        .hasMessageContaining("tampered");
  }

  private static DumpHeader read(byte[] file, EncryptionKeys keys) throws IOException {
    return DumpReader.read(new ByteArrayInputStream(file), FILE, keys, new Recorder());
  }

  private static synchronized byte[] encrypted() {
    if (cached == null) {
      cached = write(DumpCodec.GZIP, KEY);
    }
    return cached;
  }

  private static DumpHeader header() {
    return DumpHeader.incremental(
        "shop",
        DumpFiles.CREATED,
        10,
        42,
        "shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz",
        "a".repeat(64));
  }

  private static byte[] write(DumpCodec codec, EncryptionKey key) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      DumpHeader header = header().withCodec(codec.codecName()).withEncryption(key);
      try (DumpWriter writer =
          DumpWriter.open(out, header, DumpCompression.of(codec, null, 1), key)) {
        for (int i = 0; i < 3; i++) {
          writer.writeDocument(
              new Document("users/" + i, 11 + i, "{}", "{\"Name\":\"user " + i + "\"}"));
        }
        byte[] data = attachment();
        writer.writeAttachment(
            new AttachmentInfo("files/big", 20, "{}", data.length), new ByteArrayInputStream(data));
        writer.writeDocumentDeletion(new Tombstone("users/old", 42));
        writer.finish();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] attachment() {
    byte[] data = new byte[ATTACHMENT_SIZE];
    new Random(SEED).nextBytes(data);
    return data;
  }

  private static byte[] bytes(int seed) {
    byte[] key = new byte[EncryptionKey.LENGTH];
    new Random(seed).nextBytes(key);
    return key;
  }

  /** Records what the reader hands over. */
  private static final class Recorder implements DumpVisitor {
    final List<String> entries = new ArrayList<>();

    @Override
    public void document(String key, long etag, String metadataJson, String bodyJson) {
      entries.add("doc " + key);
    }

    @Override
    public OutputStream attachment(String key, long etag, String metadataJson, long size) {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      return new java.io.FilterOutputStream(data) {
        @Override
        public void close() {
          entries.add(
              "attachment " + key + " " + data.size() + " " + Arrays.hashCode(data.toByteArray()));
        }
      };
    }

    @Override
    public void documentDeletion(String key, long etag) {
      entries.add("deletion " + key);
    }
  }
}
