package org.periodicbackups.core.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.Document;

/** The reader hands out document and attachment metadata text exactly as the file holds it. */
class DumpRawTextTest {
  private static final long SEED = 20261128L;
  private static final String FILE = "shop/x/000000-20261128T144300.123Z.full.json.gz";
  private static final String EMPTY_REST =
      ",\"Attachments\":[],\"DocsDeletions\":[],\"AttachmentsDeletions\":[]}";

  @Test
  void documentsOfEverySizeComeBackAsWrittenWhateverTheReadSizes() throws IOException {
    SplittableRandom random = new SplittableRandom(SEED);
    List<Document> written = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DumpWriter writer =
        DumpWriter.open(out, DumpHeader.full("shop", DumpFiles.CREATED, 1000))) {
      for (int i = 1; i <= 300; i++) {
        // Values spanning many of the parser's 8,000-byte reads, two beyond the 1 MiB after
        // which the reader gives its buffer back.
        int size = i % 150 == 0 ? 1_500_000 : i % 50 == 0 ? 200_000 : random.nextInt(3000);
        String body = "{ \"Text\" : \"" + text(random, size) + "\",\n\"N\":[1.50, -0, 1E3, {}]}";
        Document document = new Document("docs/" + i, i, "{\"I\":" + i + "}", body);
        writer.writeDocument(document);
        written.add(document);
      }
      writer.writeAttachment(
          new AttachmentInfo("files/a", 301, "{ \"Type\" : \"tëxt\" }", 3),
          new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)));
      writer.finish();
    }
    for (int readSize : new int[] {1, 7, 8000, 1 << 20}) {
      Collected read = new Collected();
      DumpReader.read(new ChunkedInput(out.toByteArray(), readSize), FILE, read);
      assertThat(read.documents)
          .as("read %d bytes at a time", readSize)
          .containsExactlyElementsOf(written);
      assertThat(read.attachmentMetadata).containsExactly("{ \"Type\" : \"tëxt\" }");
    }
  }

  @Test
  void aByteOrderMarkBeforeTheJsonDoesNotShiftTheText() throws IOException {
    String json =
        "\uFEFF"
            + DumpFiles.fullHeaderJson(1)
            + ",\"Docs\":[{\"Key\":\"a\",\"Etag\":1,"
            + "\"Metadata\":{},\"Body\":{\"x\":\"ü\"}}]"
            + EMPTY_REST;
    Collected read = new Collected();

    DumpReader.read(new ByteArrayInputStream(DumpFiles.gzip(json)), FILE, read);

    assertThat(read.documents).containsExactly(new Document("a", 1, "{}", "{\"x\":\"ü\"}"));
  }

  @Test
  void rejectsMalformedUtf8InsideADocumentNamingIt() {
    // 0xC3 starts a two-byte sequence that 'x' does not continue.
    byte[] malformed =
        gzip(
            bytes(
                DumpFiles.fullHeaderJson(1)
                    + ",\"Docs\":[{\"Key\":\"a\","
                    + "\"Etag\":1,\"Metadata\":{},\"Body\":{\"x\":\""),
            new byte[] {(byte) 0xC3, 'x'},
            bytes("\"}}]" + EMPTY_REST));

    assertRejected(malformed).hasMessageContaining("UTF-8");
  }

  @Test
  void rejectsAnEncodedSurrogateInsideADocument() {
    // 0xED 0xA0 0x80 encodes the lone surrogate U+D800 (CESU-8): not UTF-8, though a lenient
    // decoder would turn it into a replacement character.
    byte[] surrogate =
        gzip(
            bytes(
                DumpFiles.fullHeaderJson(1)
                    + ",\"Docs\":[{\"Key\":\"a\","
                    + "\"Etag\":1,\"Metadata\":{},\"Body\":{\"x\":\""),
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            bytes("\"}}]" + EMPTY_REST));

    assertRejected(surrogate).hasMessageContaining("UTF-8").hasMessageContaining("column 199");
  }

  @Test
  void rejectsJsonThatIsNotUtf8() {
    byte[] utf16 =
        gzip(
            (DumpFiles.fullHeaderJson(1) + ",\"Docs\":[]" + EMPTY_REST)
                .getBytes(StandardCharsets.UTF_16BE));

    assertRejected(utf16).hasMessageContaining("not UTF-8");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] file) {
    return assertThatThrownBy(
            () -> DumpReader.read(new ByteArrayInputStream(file), FILE, new DumpVisitor() {}))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageStartingWith(FILE + ": ");
  }

  /** JSON string content of about {@code length} characters, escapes and non-ASCII included. */
  private static String text(SplittableRandom random, int length) {
    String[] pieces = {"abc", " ", "äöü", "日本", "🙂", "\\\"", "\\\\", "\\n", "\\u00e9", "0123"};
    StringBuilder b = new StringBuilder(length + 16);
    while (b.length() < length) {
      b.append(pieces[random.nextInt(pieces.length)]);
    }
    return b.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[]... parts) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        for (byte[] part : parts) {
          gz.write(part);
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Serves at most {@code chunk} bytes per read. */
  private static final class ChunkedInput extends FilterInputStream {
    private final int chunk;

    ChunkedInput(byte[] bytes, int chunk) {
      super(new ByteArrayInputStream(bytes));
      this.chunk = chunk;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, chunk));
    }
  }

  private static final class Collected implements DumpVisitor {
    final List<Document> documents = new ArrayList<>();
    final List<String> attachmentMetadata = new ArrayList<>();

    @Override
    public void document(String key, long etag, String metadataJson, String bodyJson) {
      documents.add(new Document(key, etag, metadataJson, bodyJson));
    }

    @Override
    public OutputStream attachment(String key, long etag, String metadataJson, long size) {
      attachmentMetadata.add(metadataJson);
      return null;
    }
  }
}
