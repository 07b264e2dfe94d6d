package org.periodicbackups.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.ConditionalWrites;
import org.periodicbackups.api.destination.ConditionalWrites.Version;

/**
 * W: conditional writes ({@link ConditionalWrites}), in the spirit of a register analysis: an
 * uncontended create, replace and refusal each do what they say, and writers racing on one object
 * never both win a create and never lose an update. Skipped, saying so, for destinations that
 * declare none.
 */
abstract class ConditionalWriteRules extends RuleGroup {
  private static final String NAME = "db/lease.json";

  ConditionalWriteRules(DestinationCompatibilityKit kit) {
    super(kit);
  }

  private ConditionalWrites writes(String rule) {
    Optional<ConditionalWrites> writes = f().destination.conditionalWrites();
    assumeTrue(
        writes.isPresent(),
        rule
            + " skipped: destination declares no conditional writes"
            + " (conditionalWrites() is empty); without them one writer per chain is not enforced"
            + " across machines");
    f().track(NAME);
    return writes.get();
  }

  private static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Version version) {
    return new String(version.content(), StandardCharsets.UTF_8);
  }

  private Version created(String rule, ConditionalWrites writes, String content)
      throws IOException {
    Optional<Version> created = writes.createIfAbsent(NAME, text(content));
    assertThat(created)
        .as("%s createIfAbsent('%s') of a name never written creates it", rule, NAME)
        .isPresent();
    return created.get();
  }

  private Version current(String rule, ConditionalWrites writes) throws IOException {
    Optional<Version> read = writes.read(NAME);
    assertThat(read).as("%s read('%s') of a stored object", rule, NAME).isPresent();
    return read.get();
  }

  @Test
  @DisplayName("W1.1 createIfAbsent of a new name stores it; read returns its bytes and tag")
  void createStores() throws Exception {
    ConditionalWrites writes = writes("W1.1");
    assertThat(writes.read(NAME)).as("W1.1 read('%s') before any write", NAME).isEmpty();
    Version created = created("W1.1", writes, "{\"holder\":\"a\",\"token\":1}");
    assertThat(text(created))
        .as("W1.1 the version created")
        .isEqualTo("{\"holder\":\"a\",\"token\":1}");
    assertThat(current("W1.1", writes))
        .as("W1.1 read('%s') after the create returns the version created", NAME)
        .isEqualTo(created);
    assertSameBytes("W1.1", NAME, f().read("W1.1", NAME), created.content());
  }

  @Test
  @DisplayName("W1.2 createIfAbsent of an existing name is refused and changes nothing")
  void createOfAnExistingNameIsRefused() throws Exception {
    ConditionalWrites writes = writes("W1.2");
    Version first = created("W1.2", writes, "{\"holder\":\"a\",\"token\":1}");
    assertThat(writes.createIfAbsent(NAME, text("{\"holder\":\"b\",\"token\":1}")))
        .withFailMessage(
            "W1.2: a second createIfAbsent('%s') succeeded: it must be refused while an object"
                + " of that name exists (S3: PutObject with If-None-Match: *; a file system: an"
                + " exclusive create, not an overwrite)",
            NAME)
        .isEmpty();
    assertThat(current("W1.2", writes)).as("W1.2 the object after the refusal").isEqualTo(first);
  }

  @Test
  @DisplayName("W1.3 replaceIfUnchanged with the current tag replaces and gives a new tag")
  void replaceWithTheCurrentTag() throws Exception {
    ConditionalWrites writes = writes("W1.3");
    Version first = created("W1.3", writes, "{\"holder\":\"a\",\"token\":1}");
    Optional<Version> second =
        writes.replaceIfUnchanged(NAME, first.tag(), text("{\"holder\":\"a\",\"token\":2}"));
    assertThat(second)
        .as("W1.3 replaceIfUnchanged('%s', the tag just read) replaces it", NAME)
        .isPresent();
    assertThat(text(second.get())).isEqualTo("{\"holder\":\"a\",\"token\":2}");
    assertThat(second.get().tag())
        .withFailMessage(
            "W1.3: the replaced version has the tag of the version it replaced (%s): a writer"
                + " holding the old tag could overwrite it",
            first.tag())
        .isNotEqualTo(first.tag());
    assertThat(current("W1.3", writes)).as("W1.3 read after the replace").isEqualTo(second.get());
  }

  @Test
  @DisplayName("W1.4 replaceIfUnchanged with a stale tag, or of a missing name, writes nothing")
  void replaceWithAStaleTagIsRefused() throws Exception {
    ConditionalWrites writes = writes("W1.4");
    Version first = created("W1.4", writes, "{\"holder\":\"a\",\"token\":1}");
    Version second =
        writes
            .replaceIfUnchanged(NAME, first.tag(), text("{\"holder\":\"b\",\"token\":2}"))
            .orElseThrow(() -> new AssertionError("W1.4: a replace with the current tag failed"));
    assertThat(writes.replaceIfUnchanged(NAME, first.tag(), text("{\"holder\":\"a\",\"token\":3}")))
        .withFailMessage(
            "W1.4: replaceIfUnchanged('%s') with the tag of a replaced version succeeded: it must"
                + " be refused (S3: PutObject with If-Match: <etag>; a file system: compare and"
                + " write under one lock)",
            NAME)
        .isEmpty();
    assertThat(current("W1.4", writes)).as("W1.4 the object after the refusal").isEqualTo(second);
    String missing = "db/never-written.json";
    f().track(missing);
    assertThat(writes.replaceIfUnchanged(missing, first.tag(), text("{}")))
        .as("W1.4 replaceIfUnchanged('%s') of a name never written", missing)
        .isEmpty();
    assertThat(writes.read(missing)).as("W1.4 read('%s') after the refusal", missing).isEmpty();
  }

  @Test
  @DisplayName("W1.5 of writers racing to create one name, exactly one wins")
  void contendedCreateHasOneWinner() throws Exception {
    ConditionalWrites writes = writes("W1.5");
    int writers = Math.max(2, kit().parallelUploads());
    CyclicBarrier start = new CyclicBarrier(writers);
    List<Callable<Optional<Version>>> tasks = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      byte[] content = text("{\"holder\":\"writer-" + i + "\",\"token\":1}");
      tasks.add(
          () -> {
            start.await(1, TimeUnit.MINUTES);
            return writes.createIfAbsent(NAME, content);
          });
    }
    List<Version> winners =
        inParallel("W1.5", tasks, writers).stream().flatMap(Optional::stream).toList();
    assertThat(winners)
        .withFailMessage(
            "W1.5: %d of %d writers racing on createIfAbsent('%s') won (%s): exactly one may; the"
                + " check for an existing object and the write must be one atomic step",
            winners.size(),
            writers,
            NAME,
            winners.stream().map(ConditionalWriteRules::text).toList())
        .hasSize(1);
    assertThat(current("W1.5", writes))
        .as("W1.5 the object holds the winner")
        .isEqualTo(winners.get(0));
  }

  @Test
  @DisplayName("W1.6 writers racing to update one object by read and replace lose no update")
  void contendedReplacesLoseNoUpdate() throws Exception {
    ConditionalWrites writes = writes("W1.6");
    created("W1.6", writes, "0");
    int writers = Math.max(2, Math.min(4, kit().parallelUploads()));
    int updates = 5;
    CyclicBarrier start = new CyclicBarrier(writers);
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      tasks.add(
          () -> {
            start.await(1, TimeUnit.MINUTES);
            int refused = 0;
            for (int done = 0; done < updates; ) {
              Version seen = writes.read(NAME).orElseThrow();
              int value = Integer.parseInt(text(seen));
              if (writes
                  .replaceIfUnchanged(NAME, seen.tag(), text(String.valueOf(value + 1)))
                  .isPresent()) {
                done++;
              } else if (++refused > 100 * updates * writers) {
                throw new AssertionError("W1.6: a writer was refused " + refused + " times");
              }
            }
            return refused;
          });
    }
    int refused = inParallel("W1.6", tasks, writers).stream().mapToInt(Integer::intValue).sum();
    assertThat(text(current("W1.6", writes)))
        .withFailMessage(
            "W1.6: %d writers each made %d successful read-and-replace increments of '%s' (%d"
                + " refused and retried), but it holds %s, not %d: a replace succeeded over a"
                + " version it had not read, so an update was lost",
            writers, updates, NAME, refused, text(current("W1.6", writes)), writers * updates)
        .isEqualTo(String.valueOf(writers * updates));
  }
}
