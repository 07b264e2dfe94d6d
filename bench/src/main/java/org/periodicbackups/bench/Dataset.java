package org.periodicbackups.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * A reproducible database: {@code documents} customer documents of about 1 KiB of realistic JSON
 * (names, addresses, order lines, free text) and one attachment per 200 documents of mixed sizes
 * (60% 2–16 KiB, 35% 16–256 KiB, 5% 1–4 MiB; half text-like, half incompressible). The same seed
 * gives the same bytes.
 */
final class Dataset {
  /** Documents per write transaction when loading. */
  static final int BATCH = 5_000;

  private static final String[] WORDS =
      ("alpha bravo charlie delta echo foxtrot golf hotel india"
              + " juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor"
              + " whiskey xray yankee zulu order invoice shipping delivered pending paid refund customer"
              + " premium standard express warehouse berlin paris london madrid rome vienna oslo lisbon"
              + " blue green red yellow small large medium coffee tea book lamp chair desk phone cable"
              + " monday tuesday friday spring summer autumn winter north south east west quick note")
          .split(" ");
  private static final String[] FIRST = {
    "Ann", "Bob", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal",
    "Lena", "Marta", "Noah", "Olga", "Pavel", "Zoë"
  };
  private static final String[] LAST = {
    "Smith",
    "Müller",
    "García",
    "Rossi",
    "Novak",
    "Tanaka",
    "Dubois",
    "Jensen",
    "Kowalski",
    "Silva",
    "Öztürk",
    "Nguyen",
    "Brown",
    "Ivanova"
  };

  final int documents;
  final long seed;
  long documentJsonBytes; // keys + metadata + bodies, UTF-8
  long attachmentBytes;
  int attachments;

  Dataset(int documents, long seed) {
    this.documents = documents;
    this.seed = seed;
  }

  /**
   * Loads everything into {@code db} with write batches. Each batch is generated before its
   * transaction, so the time returned (nanoseconds) is that of the store's writes alone.
   */
  long load(SqliteDatabase db) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    long elapsed = 0;
    for (int first = 1; first <= documents; first += BATCH) {
      int to = Math.min(documents, first + BATCH - 1);
      List<String[]> batch = new ArrayList<>(BATCH);
      for (int i = first; i <= to; i++) {
        String[] doc = {key(i), metadata(i), body(random)};
        documentJsonBytes += utf8(doc[0]) + utf8(doc[1]) + utf8(doc[2]);
        batch.add(doc);
      }
      long start = System.nanoTime();
      db.write(
          tx -> {
            for (String[] doc : batch) {
              tx.putDocument(doc[0], doc[1], doc[2]);
            }
          });
      elapsed += System.nanoTime() - start;
    }
    int count = documents / 200;
    for (int first = 1; first <= count; ) {
      // At most 20 attachments or 8 MiB per batch, so that a small heap (-Xmx128m) suffices.
      List<byte[]> batch = new ArrayList<>();
      long batchBytes = 0;
      int base = first;
      while (first <= count && batch.size() < 20 && batchBytes < (8 << 20)) {
        byte[] content = attachment(random);
        attachmentBytes += content.length;
        attachments++;
        batchBytes += content.length;
        batch.add(content);
        first++;
      }
      long start = System.nanoTime();
      db.write(
          tx -> {
            for (int i = 0; i < batch.size(); i++) {
              tx.putAttachment(
                  "files/" + (base + i) + ".bin",
                  "{\"Content-Type\":\"application/octet-stream\"}",
                  new ByteArrayInputStream(batch.get(i)));
            }
          });
      elapsed += System.nanoTime() - start;
    }
    return elapsed;
  }

  /** Rewrites {@code changed} documents spread over the key space in one transaction. */
  void change(SqliteDatabase db, int changed, long changeSeed) throws IOException {
    SplittableRandom random = new SplittableRandom(changeSeed);
    db.write(
        tx -> {
          for (int n = 0; n < changed; n++) {
            int i = 1 + (int) ((long) n * documents / changed);
            tx.putDocument(key(i), metadata(i), body(random));
          }
        });
  }

  static String key(int i) {
    return "customers/" + i;
  }

  static String metadata(int i) {
    return "{\"Raven-Entity-Name\":\"Customers\",\"Raven-Clr-Type\":\"Shop.Customer, Shop\","
        + "\"Last-Modified\":\"2026-11-"
        + (10 + i % 18)
        + "T12:00:00.000Z\"}";
  }

  /** About 1 KiB: fixed-shape fields, 3–6 order lines, then free text up to the size drawn. */
  static String body(SplittableRandom random) {
    StringBuilder b = new StringBuilder(1200);
    String first = pick(random, FIRST);
    String last = pick(random, LAST);
    b.append("{\"Name\":\"")
        .append(first)
        .append(' ')
        .append(last)
        .append("\",\"Email\":\"")
        .append(first.toLowerCase())
        .append('.')
        .append(last.toLowerCase())
        .append(random.nextInt(1000))
        .append("@example.com\"")
        .append(",\"Address\":{\"Street\":\"")
        .append(1 + random.nextInt(300))
        .append(' ')
        .append(pick(random, WORDS))
        .append(" Street\",\"City\":\"")
        .append(pick(random, WORDS))
        .append("\",\"Zip\":\"")
        .append(10000 + random.nextInt(89999))
        .append("\",\"Country\":\"")
        .append(pick(random, WORDS))
        .append("\"}")
        .append(",\"Active\":")
        .append(random.nextBoolean())
        .append(",\"Score\":")
        .append(random.nextInt(100000) / 100.0)
        .append(",\"Tags\":[\"")
        .append(pick(random, WORDS))
        .append("\",\"")
        .append(pick(random, WORDS))
        .append("\"],\"Orders\":[");
    int lines = 3 + random.nextInt(4);
    for (int l = 0; l < lines; l++) {
      b.append(l == 0 ? "" : ",")
          .append("{\"Product\":\"")
          .append(pick(random, WORDS))
          .append(' ')
          .append(pick(random, WORDS))
          .append("\",\"Quantity\":")
          .append(1 + random.nextInt(9))
          .append(",\"Price\":")
          .append(random.nextInt(100000) / 100.0)
          .append(",\"Sku\":\"SKU-")
          .append(Long.toHexString(random.nextLong() & 0xffffffffL))
          .append("\"}");
    }
    b.append("],\"Notes\":\"");
    int target = 900 + random.nextInt(250);
    while (b.length() < target) {
      b.append(pick(random, WORDS)).append(' ');
    }
    return b.append("\"}").toString();
  }

  private static byte[] attachment(SplittableRandom random) {
    int kind = random.nextInt(100);
    int size =
        kind < 60
            ? 2048 + random.nextInt(14 * 1024)
            : kind < 95
                ? 16 * 1024 + random.nextInt(240 * 1024)
                : (1 << 20) + random.nextInt(3 << 20);
    byte[] content = new byte[size];
    if (random.nextBoolean()) {
      for (int i = 0; i < size; i++) {
        content[i] = (byte) random.nextInt(256); // incompressible, like images
      }
    } else {
      int i = 0;
      while (i < size) {
        byte[] word = (pick(random, WORDS) + ' ').getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(word.length, size - i);
        System.arraycopy(word, 0, content, i, n);
        i += n;
      }
    }
    return content;
  }

  private static String pick(SplittableRandom random, String[] from) {
    return from[random.nextInt(from.length)];
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
