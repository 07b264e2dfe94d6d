package org.periodicbackups.tck.selftest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.periodicbackups.api.destination.DestinationCapabilities;
import org.periodicbackups.api.destination.StoredFile;
import org.periodicbackups.api.destination.StoredNames;
import org.periodicbackups.api.destination.UploadMetadata;
import org.periodicbackups.testing.MemoryDestination;

/**
 * The correct {@link MemoryDestination} with one deliberate {@link Flaw}: the kit's self-test
 * checks that each flaw fails the kit with the right rule ids.
 */
final class FlawedDestination extends MemoryDestination {

  /** One deliberate bug, or none. */
  enum Flaw {
    NONE,
    /** Stores every file without its last byte but reports the full size. */
    DROPS_LAST_BYTE,
    /** Lists in reverse name order. */
    WRONG_ORDER,
    /** Delete does nothing. */
    IGNORES_DELETES,
    /** An overwrite is acknowledged but reads keep returning the first version. */
    STALE_AFTER_OVERWRITE,
    /** Upload reports success and stores nothing. */
    PHANTOM_UPLOAD,
    /** The description shows the secret. */
    LEAKS_SECRET,
    /** Correct, but cold: files become listable a little after their upload. */
    COLD
  }

  /** How long a file stays unlisted on a {@link Flaw#COLD} destination. */
  static final long COLD_DELAY_MILLIS = 50;

  private final String prefix;
  private final Flaw flaw;
  private final String secret;
  private final Map<String, Long> visibleAt;

  /** The stored files of one prefix, shared by every destination created for it. */
  record Storage(ConcurrentSkipListMap<String, byte[]> files, Map<String, Long> visibleAt) {
    Storage() {
      this(new ConcurrentSkipListMap<>(), new ConcurrentSkipListMap<>());
    }
  }

  FlawedDestination(String prefix, Flaw flaw, String secret, Storage storage) {
    super("memory:" + prefix, storage.files());
    this.prefix = prefix;
    this.flaw = flaw;
    this.secret = secret;
    this.visibleAt = storage.visibleAt();
    if (flaw == Flaw.COLD) {
      capabilities(new DestinationCapabilities(false, false, Long.MAX_VALUE));
    }
  }

  @Override
  public String providerName() {
    return MemoryDestinationProvider.NAME;
  }

  @Override
  public String description() {
    return super.description() + (flaw == Flaw.LEAKS_SECRET ? "?key=" + secret : "");
  }

  @Override
  public StoredFile upload(String name, Path file, UploadMetadata metadata) throws IOException {
    StoredNames.requireSafe(name);
    byte[] bytes = Files.readAllBytes(file); // fails before anything is stored: atomic
    StoredFile reported = new StoredFile(name, bytes.length, "memory:" + prefix + "/" + name);
    switch (flaw) {
      case PHANTOM_UPLOAD -> {
        return reported;
      }
      case DROPS_LAST_BYTE -> bytes = Arrays.copyOf(bytes, Math.max(0, bytes.length - 1));
      case STALE_AFTER_OVERWRITE -> {
        if (files().putIfAbsent(name, bytes) != null) {
          return reported;
        }
      }
      default -> {}
    }
    put(name, bytes);
    visibleAt.put(name, System.currentTimeMillis() + (flaw == Flaw.COLD ? COLD_DELAY_MILLIS : 0));
    return reported;
  }

  @Override
  public List<StoredFile> list(String prefix) {
    long now = System.currentTimeMillis();
    List<StoredFile> listed =
        new ArrayList<>(
            super.list(prefix).stream()
                .filter(f -> visibleAt.getOrDefault(f.name(), 0L) <= now)
                .toList());
    if (flaw == Flaw.WRONG_ORDER) {
      Collections.reverse(listed);
    }
    return listed;
  }

  @Override
  public void delete(String name) {
    if (flaw != Flaw.IGNORES_DELETES) {
      super.delete(name);
      visibleAt.remove(name);
    }
  }

  @Override
  public String toString() {
    return "FlawedDestination[" + prefix + ", " + flaw + "]";
  }
}
