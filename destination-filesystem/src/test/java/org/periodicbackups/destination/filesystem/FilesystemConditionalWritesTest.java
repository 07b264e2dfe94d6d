package org.periodicbackups.destination.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.periodicbackups.api.destination.ConditionalWrites;
import org.periodicbackups.api.destination.ConditionalWrites.Version;

/**
 * Conditional writes of a folder between processes (the kit's W rules check threads of one JVM):
 * several JVMs increment one counter by read and replace, and none of their updates is lost.
 */
class FilesystemConditionalWritesTest {
  private static final String NAME = "shop/lease.json";

  @TempDir Path root;

  @Test
  void processesRacingOnOneObjectLoseNoUpdate() throws Exception {
    ConditionalWrites writes = new FilesystemDestination(root).conditionalWrites().orElseThrow();
    assertThat(writes.createIfAbsent(NAME, bytes("0"))).isPresent();
    int processes = 3;
    int updates = 20;
    List<Process> started = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      started.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Incrementer.class.getName(),
                  root.toString(),
                  String.valueOf(updates))
              .redirectErrorStream(true)
              .redirectOutput(root.resolve(".incrementer-" + i + ".log.tmp").toFile())
              .start());
    }
    for (int i = 0; i < processes; i++) {
      Process process = started.get(i);
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("incrementer %d finished", i).isTrue();
      assertThat(process.exitValue())
          .as(Files.readString(root.resolve(".incrementer-" + i + ".log.tmp")))
          .isZero();
    }

    assertThat(new String(writes.read(NAME).orElseThrow().content(), StandardCharsets.UTF_8))
        .isEqualTo(String.valueOf(processes * updates));
    assertThat(new FilesystemDestination(root).list(""))
        .as("the lock file and the logs are hidden")
        .extracting(f -> f.name())
        .containsExactly(NAME);
  }

  @Test
  void aStaleTagAndAnExistingNameAreRefusedAndTooLargeContentNamed() throws IOException {
    ConditionalWrites writes = new FilesystemDestination(root).conditionalWrites().orElseThrow();
    Version first = writes.createIfAbsent(NAME, bytes("1")).orElseThrow();
    assertThat(writes.createIfAbsent(NAME, bytes("2"))).isEmpty();
    Version second = writes.replaceIfUnchanged(NAME, first.tag(), bytes("2")).orElseThrow();
    assertThat(writes.replaceIfUnchanged(NAME, first.tag(), bytes("3"))).isEmpty();
    assertThat(writes.read(NAME)).contains(second);
    assertThat(writes.replaceIfUnchanged("shop/other.json", first.tag(), bytes("1"))).isEmpty();
    assertThat(Files.exists(root.resolve("shop/other.json"))).isFalse();
    assertThatThrownBy(
            () -> writes.createIfAbsent("big.json", new byte[ConditionalWrites.MAX_SIZE + 1]))
        .hasMessageContaining("conditional write of 'big.json': 65537 bytes, at most 65536");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A process that adds {@code args[1]} to the counter in {@code args[0]}, one by one. */
  public static final class Incrementer {
    private Incrementer() {}

    /** Increments by read and replace, retrying when another writer came first. */
    public static void main(String[] args) throws IOException {
      ConditionalWrites writes =
          new FilesystemDestination(Path.of(args[0])).conditionalWrites().orElseThrow();
      int updates = Integer.parseInt(args[1]);
      for (int done = 0, refused = 0; done < updates; ) {
        Version seen = writes.read(NAME).orElseThrow();
        int value = Integer.parseInt(new String(seen.content(), StandardCharsets.UTF_8));
        if (writes
            .replaceIfUnchanged(NAME, seen.tag(), bytes(String.valueOf(value + 1)))
            .isPresent()) {
          done++;
        } else if (++refused > 10_000) {
          throw new IllegalStateException("refused " + refused + " times");
        }
      }
    }
  }
}
