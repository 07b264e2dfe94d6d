package org.periodicbackups.core.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.AttachmentInfo;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.model.Tombstone;
import org.periodicbackups.api.source.ContentDigest;

class DumpRoundTripTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long SEED = 20261128L;

  @Test
  void readsBackWhatWasWritten() throws Exception {
    byte[] empty = new byte[0];
    byte[] small = "hello".getBytes();
    byte[] big = randomBytes(3 * 1024 * 1024 + 7);
    DumpHeader header = DumpHeader.full("shop", DumpFiles.CREATED, 100);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DumpCounts counts;
    try (DumpWriter writer = DumpWriter.open(out, header)) {
      writer.writeDocument(
          new Document(
              "users/ünï/日本/🙂",
              1,
              "{ \"Raven-Entity-Name\" : \"Users\", \"Nested\": {\"a\": [1, 2, {\"b\": null}]} }",
              "{\"Name\":\"Zoë \\\"Q\\\"\", \"Tags\":[\"x\"]}"));
      writer.writeDocument(new Document("orders/1", 2, "{}", "{\"Total\":12.5}"));
      writer.writeAttachment(
          new AttachmentInfo("files/empty", 3, "{}", 0), new ByteArrayInputStream(empty));
      writer.writeAttachment(
          new AttachmentInfo("files/small", 4, "{\"Type\":\"text\"}", 5),
          new ByteArrayInputStream(small));
      writer.writeAttachment(
          new AttachmentInfo("files/big", 5, "{}", big.length), new ByteArrayInputStream(big));
      writer.writeDocumentDeletion(new Tombstone("users/gone", 6));
      writer.writeAttachmentDeletion(new Tombstone("files/gone", 7));
      counts = writer.finish();
    }
    assertThat(counts).isEqualTo(new DumpCounts(2, 3, 1, 1));

    Recorder recorder = new Recorder();
    DumpHeader read =
        DumpReader.read(new ByteArrayInputStream(out.toByteArray()), "f.json.gz", recorder);

    assertThat(read).isEqualTo(header);
    assertThat(recorder.header).isEqualTo(header);
    assertThat(recorder.documents)
        .extracting(Document::key)
        .containsExactly("users/ünï/日本/🙂", "orders/1");
    Document first = recorder.documents.get(0);
    // The stored text comes back exactly as it was written, whitespace included.
    assertThat(first.metadataJson())
        .isEqualTo(
            "{ \"Raven-Entity-Name\" : \"Users\", \"Nested\": {\"a\": [1, 2, {\"b\": null}]} }");
    assertThat(first.bodyJson()).isEqualTo("{\"Name\":\"Zoë \\\"Q\\\"\", \"Tags\":[\"x\"]}");
    assertThat(MAPPER.readTree(first.bodyJson()).get("Name").asText()).isEqualTo("Zoë \"Q\"");
    assertThat(recorder.attachmentKeys).containsExactly("files/empty", "files/small", "files/big");
    assertThat(recorder.attachmentSha).containsExactly(sha(empty), sha(small), sha(big));
    assertThat(recorder.events)
        .containsSubsequence(
            "doc users/ünï/日本/🙂",
            "doc orders/1",
            "att files/empty",
            "att files/big",
            "deldoc users/gone 6",
            "delatt files/gone 7");
  }

  @Test
  void theRecordedContentAndItsAbsenceRoundTrip() throws Exception {
    ContentDigest content = new ContentDigest(1200, 3, "3fa2c1" + "0".repeat(58));
    for (ContentDigest recorded : new ContentDigest[] {content, null}) {
      DumpHeader header = DumpHeader.full("shop", DumpFiles.CREATED, 9).withContent(recorded);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (DumpWriter writer = DumpWriter.open(out, header)) {
        writer.finish();
      }
      DumpHeader read = DumpReader.readHeader(new ByteArrayInputStream(out.toByteArray()), "f");
      assertThat(read.content()).isEqualTo(recorded);
      assertThat(read.formatVersion()).isEqualTo(2);
    }
  }

  @Test
  void opensWithStandardGzipAndJsonTools() throws Exception {
    byte[] content = randomBytes(1000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DumpWriter writer = DumpWriter.open(out, DumpHeader.full("shop", DumpFiles.CREATED, 9))) {
      writer.writeDocument(new Document("users/1", 1, "{\"m\":1}", "{\"b\":2}"));
      writer.writeAttachment(
          new AttachmentInfo("a/1", 2, "{}", content.length), new ByteArrayInputStream(content));
      writer.finish();
    }

    JsonNode root =
        MAPPER.readTree(new GZIPInputStream(new ByteArrayInputStream(out.toByteArray())));

    assertThat(root.fieldNames())
        .toIterable()
        .containsExactly("Backup", "Docs", "Attachments", "DocsDeletions", "AttachmentsDeletions");
    JsonNode backup = root.get("Backup");
    assertThat(backup.get("FormatVersion").asInt()).isEqualTo(DumpHeader.FORMAT_VERSION);
    assertThat(backup.get("Database").asText()).isEqualTo("shop");
    assertThat(backup.get("Type").asText()).isEqualTo("Full");
    assertThat(backup.get("CreatedAt").asText()).isEqualTo("2026-11-28T14:43:00.123Z");
    assertThat(backup.get("FromEtag").asLong()).isZero();
    assertThat(backup.get("ToEtag").asLong()).isEqualTo(9);
    assertThat(backup.get("Codec").asText()).isEqualTo("gzip");
    assertThat(backup.has("Previous")).isFalse();
    assertThat(root.get("Docs").get(0).get("Body").get("b").asInt()).isEqualTo(2);
    JsonNode attachment = root.get("Attachments").get(0);
    assertThat(attachment.get("Size").asLong()).isEqualTo(1000);
    assertThat(Base64.getDecoder().decode(attachment.get("Data").asText())).isEqualTo(content);
    assertThat(root.get("DocsDeletions")).isEmpty();
    assertThat(root.get("AttachmentsDeletions")).isEmpty();
  }

  @Test
  void writesIncrementalHeaderWithPreviousFile() throws Exception {
    DumpHeader header =
        DumpHeader.incremental("shop", DumpFiles.CREATED, 10, 42, "shop/x/y", "0".repeat(64));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DumpWriter writer = DumpWriter.open(out, header)) {
      writer.finish();
    }

    assertThat(DumpReader.readHeader(new ByteArrayInputStream(out.toByteArray()), "f"))
        .isEqualTo(header);
    assertThat(header.type()).isEqualTo(BackupType.INCREMENTAL);
  }

  @Test
  void refusesToGoBackToAnEarlierSection() throws Exception {
    try (DumpWriter writer =
        DumpWriter.open(
            new ByteArrayOutputStream(), DumpHeader.full("shop", DumpFiles.CREATED, 9))) {
      writer.writeDocumentDeletion(new Tombstone("a", 1));

      assertThatThrownBy(() -> writer.writeDocument(new Document("b", 2, "{}", "{}")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Docs after DocsDeletions");
    }
  }

  @Test
  void refusesEntriesTheReaderWouldRefuseNamingTheKey() throws Exception {
    try (DumpWriter writer =
        DumpWriter.open(
            new ByteArrayOutputStream(), DumpHeader.full("shop", DumpFiles.CREATED, 9))) {
      String longKey = "k".repeat(Document.MAX_KEY_LENGTH + 1);
      String hugeBody = "{\"x\":\"" + "a".repeat(Document.MAX_JSON_LENGTH) + "\"}";

      assertThatThrownBy(() -> writer.writeDocument(new Document(longKey, 1, "{}", "{}")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining((Document.MAX_KEY_LENGTH + 1) + " chars");
      assertThatThrownBy(() -> writer.writeDocument(new Document("", 1, "{}", "{}")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("0 chars");
      assertThatThrownBy(() -> writer.writeDocument(new Document("users/big", 2, "{}", hugeBody)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'users/big'")
          .hasMessageContaining("body");
      assertThatThrownBy(
              () ->
                  writer.writeAttachment(
                      new AttachmentInfo("files/big", 3, hugeBody, 0),
                      new ByteArrayInputStream(new byte[0])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'files/big'")
          .hasMessageContaining("metadata");
      assertThatThrownBy(() -> writer.writeDocumentDeletion(new Tombstone(longKey, 4)))
          .isInstanceOf(IllegalArgumentException.class);
      writer.writeDocument(new Document("k".repeat(Document.MAX_KEY_LENGTH), 5, "{}", "{}"));
    }
  }

  @Test
  void failsNamingTheKeyWhenAttachmentContentDiffersFromItsSize() throws Exception {
    try (DumpWriter writer =
        DumpWriter.open(
            new ByteArrayOutputStream(), DumpHeader.full("shop", DumpFiles.CREATED, 9))) {
      assertThatThrownBy(
              () ->
                  writer.writeAttachment(
                      new AttachmentInfo("files/x", 1, "{}", 10),
                      new ByteArrayInputStream(new byte[7])))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("files/x")
          .hasMessageContaining("7 bytes");
    }
  }

  @Test
  void abandonedFileIsNotAValidBackup() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DumpWriter writer = DumpWriter.open(out, DumpHeader.full("shop", DumpFiles.CREATED, 9))) {
      writer.writeDocument(new Document("a", 1, "{}", "{}"));
    }

    assertThatThrownBy(
            () ->
                DumpReader.read(
                    new ByteArrayInputStream(out.toByteArray()),
                    "partial.json.gz",
                    new DumpVisitor() {}))
        .isInstanceOf(InvalidBackupException.class)
        .hasMessageContaining("partial.json.gz");
  }

  @Test
  void streamsManyDocumentsAndALargeAttachmentThroughAFile(@TempDir Path dir) throws Exception {
    int docs = 50_000;
    long attachmentSize = 20L * 1024 * 1024;
    Path file = dir.resolve("big.json.gz");
    MessageDigest written = MessageDigest.getInstance("SHA-256");
    try (DumpWriter writer =
        DumpWriter.open(
            Files.newOutputStream(file), DumpHeader.full("shop", DumpFiles.CREATED, docs + 1), 1)) {
      for (int i = 1; i <= docs; i++) {
        writer.writeDocument(
            new Document(
                "docs/" + i,
                i,
                "{\"n\":" + i + "}",
                "{\"text\":\"some body text number " + i + "\"}"));
      }
      // Generated on the fly: the test itself never holds the attachment whole either.
      writer.writeAttachment(
          new AttachmentInfo("files/big", docs + 1, "{}", attachmentSize),
          new GeneratedStream(attachmentSize, written));
      writer.finish();
    }

    MessageDigest read = MessageDigest.getInstance("SHA-256");
    long[] seen = new long[2];
    try (InputStream in = Files.newInputStream(file)) {
      DumpReader.read(
          in,
          "big.json.gz",
          new DumpVisitor() {
            @Override
            public void document(String key, long etag, String metadataJson, String bodyJson) {
              seen[0]++;
            }

            @Override
            public OutputStream attachment(String key, long etag, String metadataJson, long size) {
              seen[1] = size;
              return new DigestOutputStream(OutputStream.nullOutputStream(), read);
            }
          });
    }

    assertThat(seen[0]).isEqualTo(docs);
    assertThat(seen[1]).isEqualTo(attachmentSize);
    assertThat(read.digest()).isEqualTo(written.digest());
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(SEED).nextBytes(bytes);
    return bytes;
  }

  private static String sha(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Records what the reader reports. */
  private static final class Recorder implements DumpVisitor {
    DumpHeader header;
    final List<Document> documents = new ArrayList<>();
    final List<String> attachmentKeys = new ArrayList<>();
    final List<String> attachmentSha = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    @Override
    public void header(DumpHeader header) {
      this.header = header;
    }

    @Override
    public void document(String key, long etag, String metadataJson, String bodyJson) {
      documents.add(new Document(key, etag, metadataJson, bodyJson));
      events.add("doc " + key);
    }

    @Override
    public OutputStream attachment(String key, long etag, String metadataJson, long size) {
      attachmentKeys.add(key);
      events.add("att " + key);
      return new ByteArrayOutputStream() {
        @Override
        public void close() {
          try {
            attachmentSha.add(sha(toByteArray()));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      };
    }

    @Override
    public void documentDeletion(String key, long etag) {
      events.add("deldoc " + key + " " + etag);
    }

    @Override
    public void attachmentDeletion(String key, long etag) {
      events.add("delatt " + key + " " + etag);
    }
  }

  /** A stream of pseudo-random bytes of a given length, digested as it is read. */
  private static final class GeneratedStream extends InputStream {
    private final Random random = new Random(SEED);
    private final MessageDigest digest;
    private long remaining;

    GeneratedStream(long length, MessageDigest digest) {
      this.remaining = length;
      this.digest = digest;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(length, remaining);
      byte[] chunk = new byte[n];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, buffer, offset, n);
      digest.update(chunk);
      remaining -= n;
      return n;
    }
  }
}
