package org.periodicbackups.core.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.periodicbackups.api.InvalidBackupException;

class DumpRejectionTest {
  private static final String FILE = "shop/20261128T144300.123Z/000001-x.incremental.json.gz";
  private static final String EMPTY_SECTIONS =
      ",\"Docs\":[],\"Attachments\":[],\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";

  @Test
  void acceptsTheValidFileUsedBelow() throws IOException {
    assertThat(
            DumpReader.read(
                    new ByteArrayInputStream(DumpFiles.smallIncremental()),
                    FILE,
                    new DumpVisitor() {})
                .toEtag())
        .isEqualTo(42);
    assertThat(read(DumpFiles.gzip(DumpFiles.fullHeaderJson(1) + EMPTY_SECTIONS)).toEtag())
        .isEqualTo(5);
  }

  @ParameterizedTest(name = "cut at {0}% of the file")
  @ValueSource(ints = {0, 1, 5, 30, 50, 80, 99})
  void rejectsATruncatedFile(int percent) {
    byte[] valid = DumpFiles.smallIncremental();
    int length = Math.max(1, (int) ((long) valid.length * percent / 100));
    byte[] cut = Arrays.copyOf(valid, Math.min(length, valid.length - 1));

    assertRejected(cut);
  }

  @Test
  void rejectsAFileWithTheLastByteMissingAsTruncated() {
    byte[] valid = DumpFiles.smallIncremental();

    assertRejected(Arrays.copyOf(valid, valid.length - 1)).hasMessageContaining("truncated");
  }

  @Test
  void rejectsAFlippedByteInTheMiddle() {
    byte[] bytes = DumpFiles.smallIncremental();
    bytes[bytes.length / 2] ^= 0x5a;

    assertRejected(bytes);
  }

  @Test
  void rejectsAFileThatIsNotGzip() {
    assertRejected((DumpFiles.fullHeaderJson(1) + EMPTY_SECTIONS).getBytes(StandardCharsets.UTF_8))
        .hasMessageContaining("neither gzip nor zstd");
  }

  @Test
  void rejectsAnotherFormatVersion() {
    assertRejected(DumpFiles.gzip(DumpFiles.fullHeaderJson(7) + EMPTY_SECTIONS))
        .hasMessageContaining(
            "format version 7 is not supported by this version (supports 1 to 3)");
  }

  @Test
  void rejectsAVersion2HeaderWithoutContentAndAVersion1HeaderWithIt() {
    assertRejected(DumpFiles.gzip(DumpFiles.fullHeaderJson(2) + EMPTY_SECTIONS))
        .hasMessageContaining("lacks field(s) [Content]");
    String v1 = DumpFiles.fullHeaderJson(1);
    String withContent =
        v1.substring(0, v1.indexOf('}'))
            + ",\"Content\":{\"Algorithm\":\"none\"}"
            + v1.substring(v1.indexOf('}'));
    assertRejected(DumpFiles.gzip(withContent + EMPTY_SECTIONS))
        .hasMessageContaining("unknown header field(s) [Content]");
    String v2 = DumpFiles.fullHeaderJson(2);
    String badDigest =
        v2.substring(0, v2.indexOf('}'))
            + ",\"Content\":{\"Algorithm\":\"sha256-sum\",\"Documents\":1,\"Attachments\":0,"
            + "\"Digest\":\"xyz\"}"
            + v2.substring(v2.indexOf('}'));
    assertRejected(DumpFiles.gzip(badDigest + EMPTY_SECTIONS))
        .hasMessageContaining("invalid Backup.Content")
        .hasMessageContaining("64 lower-case hex digits");
  }

  @Test
  void rejectsAnUnknownCodec() {
    String json = DumpFiles.fullHeaderJson(1).replace("\"gzip\"", "\"lz4\"");

    assertRejected(DumpFiles.gzip(json + EMPTY_SECTIONS)).hasMessageContaining("codec 'lz4'");
  }

  @Test
  void rejectsAHeaderWhoseCodecIsNotTheFilesCompression() {
    String json = DumpFiles.fullHeaderJson(1).replace("\"gzip\"", "\"zstd\"");

    assertRejected(DumpFiles.gzip(json + EMPTY_SECTIONS))
        .hasMessageContaining("Codec 'zstd' but its data is gzip-compressed");
  }

  @Test
  void rejectsAnUnknownSection() {
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[],\"Indexes\":[],\"Attachments\":[],\"DocsDeletions\":[],"
            + "\"AttachmentsDeletions\":[]}";

    assertRejected(DumpFiles.gzip(json)).hasMessageContaining("unknown section \"Indexes\"");
  }

  @Test
  void rejectsAMissingSection() {
    String json = DumpFiles.fullHeaderJson(1) + ",\"Docs\":[],\"Attachments\":[]}";

    assertRejected(DumpFiles.gzip(json)).hasMessageContaining("\"DocsDeletions\" is missing");
  }

  @Test
  void rejectsAnUnknownEntryField() {
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[{\"Key\":\"a\",\"Etag\":1,\"Metadata\":{},\"Body\":{},\"Colour\":1}],"
            + "\"Attachments\":[],\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";

    assertRejected(DumpFiles.gzip(json)).hasMessageContaining("\"Colour\"");
  }

  @Test
  void rejectsAnAttachmentWhoseDataDoesNotMatchItsSize() {
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[],\"Attachments\":["
            + "{\"Key\":\"files/a\",\"Etag\":2,\"Metadata\":{},\"Size\":4,\"Data\":\"aGVsbG8=\"}],"
            + "\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";

    assertRejected(DumpFiles.gzip(json))
        .hasMessageContaining("files/a")
        .hasMessageContaining("5 bytes but its Size says 4");
  }

  @Test
  void rejectsAnAttachmentWhoseDataIsNotBase64() {
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[],\"Attachments\":["
            + "{\"Key\":\"files/a\",\"Etag\":2,\"Metadata\":{},\"Size\":5,\"Data\":\"aGVs*bG8=\"}],"
            + "\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";

    assertRejected(DumpFiles.gzip(json))
        .hasMessageContaining("files/a")
        .hasMessageContaining("not valid base64");
  }

  @Test
  void rejectsAnAttachmentWithANegativeSize() {
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[],\"Attachments\":["
            + "{\"Key\":\"files/a\",\"Etag\":2,\"Metadata\":{},\"Size\":-5,\"Data\":\"\"}],"
            + "\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";

    assertRejected(DumpFiles.gzip(json))
        .hasMessageContaining("files/a")
        .hasMessageContaining("Size is negative");
  }

  @Test
  void rejectsTextThatIsNotUtf8() {
    // Four zero bytes make Jackson guess UTF-32, whose decoder fails on the next character.
    byte[] json = (DumpFiles.fullHeaderJson(1) + EMPTY_SECTIONS).getBytes(StandardCharsets.UTF_8);
    byte[] utf32ish = new byte[json.length + 4];
    System.arraycopy(json, 0, utf32ish, 4, json.length);

    assertRejected(DumpFiles.gzipBytes(utf32ish)).hasMessageContaining("not UTF-8 JSON");
  }

  @Test
  void refusesADecompressionBombOfOneHugeStringWithoutBuildingIt() {
    // 64 million characters compress to about 60 KiB; the reader must stop at its string limit.
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[{\"Key\":\"bomb\",\"Etag\":1,"
            + "\"Metadata\":{},\"Body\":{\"x\":\""
            + "a".repeat(64 << 20)
            + "\"}}],"
            + "\"Attachments\":[],\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";
    byte[] bomb = DumpFiles.gzip(json);

    assertThat(bomb.length).isLessThan(1 << 20);
    assertRejected(bomb).hasMessageContaining("exceeds");
  }

  @Test
  void refusesADocumentOfManyLongStringsAboveTheDocumentLimitNamingItsKey() {
    // Each string is within the parser's limit; together they are beyond what a document holds.
    String big = "\"" + "a".repeat(8_000_000) + "\"";
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[{\"Key\":\"users/huge\",\"Etag\":1,"
            + "\"Metadata\":{},\"Body\":{\"a\":"
            + big
            + ",\"b\":"
            + big
            + ",\"c\":"
            + big
            + "}}],"
            + "\"Attachments\":[],\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";

    assertRejected(DumpFiles.gzip(json))
        .hasMessageContaining("Docs[0].Body of 'users/huge'")
        .hasMessageContaining("longer than 20000000 chars");
  }

  @ParameterizedTest(name = "key of {0} chars")
  @ValueSource(ints = {0, 1025})
  void rejectsAKeyTheStoreWouldRefuse(int length) {
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[],\"Attachments\":[],"
            + "\"DocsDeletions\":[{\"Key\":\""
            + "k".repeat(length)
            + "\",\"Etag\":3}],"
            + "\"AttachmentsDeletions\":[]}";

    assertRejected(DumpFiles.gzip(json))
        .hasMessageContaining("DocsDeletions entry #0")
        .hasMessageContaining(length == 0 ? "empty Key" : "Key of 1025 chars; the limit is 1024");
  }

  @Test
  void refusesANestingBomb() {
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[{\"Key\":\"deep\",\"Etag\":1,"
            + "\"Metadata\":{},\"Body\":{\"x\":"
            + "[".repeat(100_000)
            + "]".repeat(100_000)
            + "}}],\"Attachments\":[],\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";

    assertRejected(DumpFiles.gzip(json)).hasMessageContaining("depth");
  }

  @Test
  void rejectsAnEntryWithAnEtagOutsideTheFilesRange() {
    String json =
        DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[{\"Key\":\"users/9\",\"Etag\":6,\"Metadata\":{},\"Body\":{}}],"
            + "\"Attachments\":[],\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";

    assertRejected(DumpFiles.gzip(json))
        .hasMessageContaining("users/9")
        .hasMessageContaining("etag 6");
  }

  @Test
  void rejectsTrailingDataAfterTheObject() {
    assertRejected(DumpFiles.gzip(DumpFiles.fullHeaderJson(1) + EMPTY_SECTIONS + " garbage"))
        .hasMessageContaining("trailing data");
    assertRejected(DumpFiles.gzip(DumpFiles.fullHeaderJson(1) + EMPTY_SECTIONS + "{}"))
        .hasMessageContaining("trailing data");
  }

  @Test
  void rejectsInvalidJsonNamingTheLineAndColumn() {
    assertRejected(DumpFiles.gzip(DumpFiles.fullHeaderJson(1) + ",\"Docs\":[{,]"))
        .hasMessageContaining("invalid JSON")
        .hasMessageContaining("column");
  }

  @Test
  void letsTheVisitorsOwnFailuresThrough() {
    IOException failure = new java.io.EOFException("disk full");

    assertThatThrownBy(
            () ->
                DumpReader.read(
                    new ByteArrayInputStream(DumpFiles.smallIncremental()),
                    FILE,
                    new DumpVisitor() {
                      @Override
                      public void document(
                          String key, long etag, String metadataJson, String bodyJson)
                          throws IOException {
                        throw failure;
                      }
                    }))
        .isSameAs(failure);
  }

  private static DumpHeader read(byte[] bytes) throws IOException {
    return DumpReader.read(new ByteArrayInputStream(bytes), FILE, new DumpVisitor() {});
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes) {
    return assertThatThrownBy(() -> read(bytes))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageStartingWith(FILE + ": ");
  }
}
