package org.periodicbackups.tck.selftest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.periodicbackups.api.destination.ConditionalWrites;
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
    COLD,
    /** Returns only the first page of a listing longer than one page. */
    FORGETS_CONTINUATION,
    /** Asks for the second and later pages of a listing without the prefix. */
    PAGES_DROP_PREFIX,
    /** Opens the first stored name that starts with the name asked for. */
    OPENS_FIRST_PREFIX_MATCH,
    /** Opens the last stored name that starts with the name asked for. */
    OPENS_LAST_PREFIX_MATCH,
    /** Deletes every stored name that starts with the name asked for. */
    DELETES_BY_PREFIX,
    /** Lists only the file itself when the prefix is the name of a stored file. */
    LISTS_EXACT_NAME_ONLY,
    /** Folds case, as a case-insensitive file system: the first spelling of a name wins. */
    FOLDS_CASE,
    /** Stores names in Unicode normalization form C. */
    NORMALIZES_UNICODE,
    /** The stream's read() returns a signed byte, so 0xFF reads as the end. */
    SIGNED_SINGLE_BYTE_READ,
    /** Writes half the file under its name, then the whole file: reads meanwhile see part. */
    WRITES_IN_PLACE,
    /** createIfAbsent overwrites an existing object. */
    CREATE_OVERWRITES,
    /** replaceIfUnchanged replaces whatever the tag. */
    REPLACE_IGNORES_TAG,
    /** Conditional writes check, then write, without holding a lock in between. */
    CHECK_THEN_WRITE,
    /** Every version of an object has the same tag. */
    CONSTANT_TAG
  }

  /** How long a flawed conditional write takes between its check and its write, as a store's. */
  private static final long WRITE_MILLIS = 3;

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

  private final int pageSize;

  FlawedDestination(String prefix, Flaw flaw, String secret, int pageSize, Storage storage) {
    super("memory:" + prefix, storage.files());
    this.prefix = prefix;
    this.pageSize = pageSize;
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
    String asked = name;
    name = stored(name);
    if (flaw == Flaw.NORMALIZES_UNICODE) {
      name = Normalizer.normalize(name, Normalizer.Form.NFC);
    }
    if (flaw == Flaw.WRITES_IN_PLACE) {
      put(name, Arrays.copyOf(bytes, bytes.length / 2));
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    StoredFile reported = new StoredFile(asked, bytes.length, "memory:" + prefix + "/" + name);
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
    if (listed.size() > pageSize && flaw == Flaw.FORGETS_CONTINUATION) {
      return listed.subList(0, pageSize);
    }
    if (listed.size() > pageSize && flaw == Flaw.PAGES_DROP_PREFIX) {
      String last = listed.get(pageSize - 1).name();
      List<StoredFile> pages = new ArrayList<>(listed.subList(0, pageSize));
      super.list("").stream().filter(f -> f.name().compareTo(last) > 0).forEach(pages::add);
      return pages;
    }
    if (flaw == Flaw.LISTS_EXACT_NAME_ONLY && files().containsKey(prefix)) {
      return listed.stream().filter(f -> f.name().equals(prefix)).toList();
    }
    return listed;
  }

  @Override
  public InputStream open(String name) throws IOException {
    String opened = stored(name);
    if (flaw == Flaw.OPENS_FIRST_PREFIX_MATCH || flaw == Flaw.OPENS_LAST_PREFIX_MATCH) {
      List<String> matches = startingWith(name);
      if (!matches.isEmpty()) {
        opened =
            flaw == Flaw.OPENS_FIRST_PREFIX_MATCH
                ? matches.get(0)
                : matches.get(matches.size() - 1);
      }
    }
    InputStream in = super.open(opened);
    if (flaw != Flaw.SIGNED_SINGLE_BYTE_READ) {
      return in;
    }
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        return b == -1 ? -1 : (byte) b;
      }
    };
  }

  @Override
  public void delete(String name) {
    if (flaw == Flaw.IGNORES_DELETES) {
      return;
    }
    for (String deleted :
        flaw == Flaw.DELETES_BY_PREFIX ? startingWith(name) : List.of(stored(name))) {
      super.delete(deleted);
      visibleAt.remove(deleted);
    }
  }

  /** The stored names that start with {@code name}, sorted. */
  private List<String> startingWith(String name) {
    return files().keySet().stream().filter(k -> k.startsWith(name)).sorted().toList();
  }

  /** The name a file is kept under: with {@link Flaw#FOLDS_CASE}, the first spelling stored. */
  private String stored(String name) {
    if (flaw != Flaw.FOLDS_CASE) {
      return name;
    }
    return files().keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse(name);
  }

  @Override
  public Optional<ConditionalWrites> conditionalWrites() {
    Optional<ConditionalWrites> correct = super.conditionalWrites();
    return switch (flaw) {
      case CREATE_OVERWRITES, REPLACE_IGNORES_TAG, CHECK_THEN_WRITE, CONSTANT_TAG ->
          Optional.of(new FlawedWrites());
      default -> correct;
    };
  }

  /** Conditional writes with {@link #flaw}: each takes a few milliseconds, as a store's would. */
  private final class FlawedWrites implements ConditionalWrites {
    private String tag(byte[] content) {
      return flaw == Flaw.CONSTANT_TAG ? "constant" : ConditionalWrites.contentTag(content);
    }

    @Override
    public Optional<Version> read(String name) {
      return Optional.ofNullable(files().get(name)).map(b -> new Version(b, tag(b)));
    }

    @Override
    public Optional<Version> createIfAbsent(String name, byte[] content) throws IOException {
      if (flaw == Flaw.CHECK_THEN_WRITE) {
        boolean absent = !files().containsKey(name);
        pause();
        return absent ? write(name, content) : Optional.empty();
      }
      pause();
      synchronized (files()) {
        boolean absent = !files().containsKey(name);
        return absent || flaw == Flaw.CREATE_OVERWRITES ? write(name, content) : Optional.empty();
      }
    }

    @Override
    public Optional<Version> replaceIfUnchanged(String name, String expectedTag, byte[] content)
        throws IOException {
      if (flaw == Flaw.CHECK_THEN_WRITE) {
        Optional<Version> current = read(name);
        pause();
        return current.isPresent() && current.get().tag().equals(expectedTag)
            ? write(name, content)
            : Optional.empty();
      }
      pause();
      synchronized (files()) {
        Optional<Version> current = read(name);
        boolean matches = current.isPresent() && current.get().tag().equals(expectedTag);
        if (!matches && !(flaw == Flaw.REPLACE_IGNORES_TAG && current.isPresent())) {
          return Optional.empty();
        }
        return write(name, content);
      }
    }

    private Optional<Version> write(String name, byte[] content) {
      put(name, content);
      return Optional.of(new Version(content, tag(content)));
    }

    private void pause() throws IOException {
      try {
        Thread.sleep(WRITE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  @Override
  public String toString() {
    return "FlawedDestination[" + prefix + ", " + flaw + "]";
  }
}
