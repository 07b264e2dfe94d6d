package org.periodicbackups.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.core.backup.BackupOutcome.Result;
import org.periodicbackups.store.sqlite.DatabaseContents;

/**
 * Property: for random sequences of puts, updates and deletes of documents and attachments (empty
 * and multi-MiB attachments, unicode keys) interleaved with full and incremental backups, restoring
 * the chain up to any backup into an empty database gives the source as it was at that backup,
 * whichever codecs (gzip, zstd) the files of the chain use.
 *
 * <p>Seeded: each case prints its seed; rerun one with {@code -Dpbk.seed=<seed> -Dpbk.cases=1}.
 */
class ChainRoundTripTest {
  private static final int CASES = Integer.getInteger("pbk.cases", 200);
  private static final long BASE_SEED = Long.getLong("pbk.seed", System.nanoTime());

  private static final String[] DOCUMENT_KEYS = {
    "users/1",
    "users/2",
    "users/3",
    "orders/1",
    "orders/2",
    "Ключ/документ",
    "日本/文書",
    "emoji/😀",
    "spaces and 'quotes'",
    "a\"b\\c",
    "x/%20+&?#",
    "long/" + "k".repeat(300)
  };
  private static final String[] ATTACHMENT_KEYS = {
    "files/a.bin", "files/empty", "images/ölogo.png", "blobs/日本", "big/video.mp4"
  };

  @TempDir Path temp;

  @TestFactory
  Stream<DynamicTest> restoringAnyPrefixOfAChainGivesTheSourceAsOfThatBackup() {
    System.out.printf(
        "ChainRoundTripTest: %d cases from seed %d (rerun one case with"
            + " -Dpbk.seed=<its seed> -Dpbk.cases=1)%n",
        CASES, BASE_SEED);
    return LongStream.range(0, CASES)
        .mapToObj(i -> BASE_SEED + i)
        .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> checkCase(seed)));
  }

  private void checkCase(long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    Path root = Files.createDirectories(temp.resolve("case-" + seed));
    try (BackupWorld world = new BackupWorld(root)) {
      world.setupLocalFolder();
      Map<String, DatabaseContents> expectedAt = new LinkedHashMap<>();
      int backups = 2 + random.nextInt(4);
      for (int b = 0; b < backups; b++) {
        int operations = b == 0 ? 1 + random.nextInt(12) : random.nextInt(12);
        for (int i = 0; i < operations; i++) {
          mutate(world, random);
        }
        boolean full = b > 0 && random.nextInt(8) == 0;
        // Codecs change between runs: one chain may hold gzip and zstd files.
        if (random.nextBoolean()) {
          world.setupLocalFolder(random.nextBoolean() ? "zstd" : "gzip", 1 + random.nextInt(3));
        }
        world.clock.advance(Duration.ofSeconds(1 + random.nextInt(100)));
        BackupOutcome outcome = world.engine.run(world.db, new BackupRequest(full, false));
        if (outcome.result() == Result.BACKED_UP) {
          BackupRecord record = outcome.backup().orElseThrow();
          expectedAt.put(record.fileName(), DatabaseContents.of(world.db));
        } else {
          assertThat(outcome.result()).as("seed %d", seed).isEqualTo(Result.NOTHING_CHANGED);
        }
      }
      for (Map.Entry<String, DatabaseContents> point : expectedAt.entrySet()) {
        assertThat(world.restore(world.backups, point.getKey()).differenceFrom(point.getValue()))
            .as("seed %d: restore up to %s", seed, point.getKey())
            .isNull();
      }
    }
  }

  private static void mutate(BackupWorld world, SplittableRandom random) throws IOException {
    switch (random.nextInt(10)) {
      case 0, 1, 2, 3 ->
          world.db.putDocument(pick(DOCUMENT_KEYS, random), metadata(random), body(random));
      case 4, 5 -> world.db.deleteDocument(pick(DOCUMENT_KEYS, random));
      case 6, 7 ->
          world.db.putAttachment(
              pick(ATTACHMENT_KEYS, random),
              metadata(random),
              new ByteArrayInputStream(content(random)));
      default -> world.db.deleteAttachment(pick(ATTACHMENT_KEYS, random));
    }
  }

  private static String pick(String[] keys, SplittableRandom random) {
    return keys[random.nextInt(keys.length)];
  }

  private static String metadata(SplittableRandom random) {
    return "{\"Raven-Entity-Name\":\"E"
        + random.nextInt(3)
        + "\",\"Nested\":{\"n\":"
        + random.nextInt()
        + ",\"list\":[1,\"zwei\",null,true]}}";
  }

  private static String body(SplittableRandom random) {
    List<String> fields = new ArrayList<>();
    int count = random.nextInt(5);
    for (int i = 0; i < count; i++) {
      fields.add(
          "\"f"
              + i
              + "\":"
              + switch (random.nextInt(5)) {
                case 0 -> random.nextLong();
                case 1 -> "\"Zoë – " + random.nextInt(1000) + " \\u00e9 \\\" 😀\"";
                case 2 -> random.nextDouble();
                case 3 -> "{\"deep\":[{\"a\":" + random.nextInt(9) + "}]}";
                default -> "null";
              });
    }
    return "{" + String.join(",", fields) + "}";
  }

  /** Mostly small; sometimes empty; rarely several MiB. */
  private static byte[] content(SplittableRandom random) {
    int kind = random.nextInt(40);
    int size =
        kind == 0 ? (1 << 20) + random.nextInt(2 << 20) : kind < 5 ? 0 : random.nextInt(5000);
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }
}
