package org.periodicbackups.tck;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.periodicbackups.store.sqlite.DatabaseWriter;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * The seeded content of the round-trip source database: documents with Unicode keys and nested
 * metadata, an empty, a small and (optionally) a large attachment, then rounds of updates and
 * deletions of both. The same seed gives the same content.
 */
final class SourceData {
  static final int DOCUMENTS = 40;
  static final String EMPTY = "files/empty.bin";
  static final String SMALL = "files/small-ü.bin";
  static final String LARGE = "files/large.bin";
  static final String ADDED = "files/新しい-2.bin";

  /** Keys deleted by the rounds and never written again. */
  static final List<String> DELETED_DOCUMENTS =
      List.of(key(31), key(32), key(33), key(34), key(0), key(DOCUMENTS + 1));

  /** Attachments deleted by the rounds and never written again (the large one if written). */
  static final List<String> DELETED_ATTACHMENTS = List.of(SMALL, LARGE);

  /** How many rounds of changes {@link #change} knows. */
  static final int ROUNDS = 3;

  private final long seed;
  private final long largeSize;

  SourceData(long seed, long largeSize) {
    this.seed = seed;
    this.largeSize = largeSize;
  }

  /** Document keys in several scripts, with spaces, '+', '%' and an emoji. */
  static String key(int i) {
    return switch (i % 5) {
      case 0 -> "users/" + i;
      case 1 -> "Zoë/Åsa-" + i;
      case 2 -> "日本/文書-" + i;
      case 3 -> "emoji/🎉 party+" + i;
      default -> "odd chars/100% \"quoted\" " + i;
    };
  }

  /** The first state: every document, the empty, small and large attachments. */
  void writeInitial(SqliteDatabase db) throws IOException {
    db.write(
        w -> {
          for (int i = 0; i < DOCUMENTS; i++) {
            putDocument(w, i, 0);
          }
          w.putAttachment(
              EMPTY, "{\"Content-Type\":\"application/octet-stream\"}", bytes("empty", 0));
          w.putAttachment(SMALL, metadata(0, 0), bytes("small-0", 1000));
        });
    if (largeSize > 0) {
      db.putAttachment(
          LARGE,
          "{\"Content-Type\":\"video/mp4\",\"Size\":" + largeSize + "}",
          bytes("large", largeSize));
    }
  }

  /** Round {@code round} (1 to {@link #ROUNDS}) of updates, deletions and re-creations. */
  void change(SqliteDatabase db, int round) throws IOException {
    db.write(
        w -> {
          switch (round) {
            case 1 -> {
              for (int i = 0; i < 10; i++) {
                putDocument(w, i, 1);
              }
              for (int i = 30; i < 35; i++) {
                w.deleteDocument(key(i));
              }
              w.deleteAttachment(EMPTY);
              w.putAttachment(SMALL, metadata(1, 1), bytes("small-1", 2000));
              for (int i = DOCUMENTS; i < DOCUMENTS + 5; i++) {
                putDocument(w, i, 1);
              }
            }
            case 2 -> {
              w.deleteAttachment(LARGE);
              putDocument(w, 30, 2); // deleted in round 1, written again
              w.deleteDocument(key(0)); // updated in round 1
              w.putAttachment(ADDED, metadata(2, 2), bytes("added", 3000));
              w.putAttachment(
                  EMPTY, "{\"Version\":2}", bytes("empty", 0)); // deleted, written again
            }
            case 3 -> {
              for (int i = 10; i < 20; i++) {
                putDocument(w, i, 3);
              }
              w.deleteAttachment(SMALL);
              w.deleteDocument(key(DOCUMENTS + 1)); // added in round 1
            }
            default -> throw new IllegalArgumentException("no round " + round);
          }
        });
  }

  private void putDocument(DatabaseWriter w, int i, int round) throws IOException {
    SplittableRandom random = new SplittableRandom(seed * 31 + i * 7L + round);
    w.putDocument(
        key(i),
        metadata(i, round),
        "{\"Name\":\"Zoë Ånström 日本 \\\""
            + i
            + "\\\"\",\"Round\":"
            + round
            + ",\"Score\":"
            + random.nextInt()
            + ",\"Ratio\":"
            + random.nextDouble()
            + ",\"Active\":"
            + random.nextBoolean()
            + ",\"Tags\":[\"a\",\"β\",null],\"Address\":{\"City\":\"Zürich\",\"Lines\":[{\"No\":"
            + random.nextInt(1000)
            + "}]}}");
  }

  private static String metadata(int i, int round) {
    return "{\"Raven-Entity-Name\":\"Users\",\"Round\":"
        + round
        + ",\"Nested\":{\"Level\":"
        + "{\"Deep\":[1,{\"é\":"
        + i
        + "}],\"Empty\":{}}}}";
  }

  private ByteArrayInputStream bytes(String label, long size) {
    return new ByteArrayInputStream(TestData.bytes(seed, label, Math.toIntExact(size)));
  }
}
