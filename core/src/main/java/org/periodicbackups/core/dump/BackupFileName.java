package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.periodicbackups.api.model.BackupType;

/**
 * The name of a backup file: {@code <database>/<chain start>/<sequence>-<created at>.<full|
 * incremental>.json.<gz|zst>}, for example {@code
 * shop/20261128T144300.123Z/000000-20261128T144300.123Z.full.json.gz}. The extension says the
 * compression ({@link DumpCodec#extension()}) and, ending in {@code .enc}, that the file is
 * encrypted ({@code .json.gz.enc}, {@code .json.zst.enc}); one chain may mix all of them.
 *
 * <p>Times are UTC, fixed width, to the millisecond ({@code yyyyMMdd'T'HHmmss.SSS'Z'}); the
 * sequence has six digits and the full backup that starts a chain is sequence 0. So names sort as
 * text in restore order: by database, then chain, then position in the chain. Instants are
 * truncated to milliseconds, so that {@code parse(name.path())} gives {@code name} back.
 *
 * <p>A compacted file merges the incrementals at positions {@code sequence} to {@code lastSequence}
 * of its chain into one (docs/DESIGN.md, "Continuous backup and compaction"): {@code
 * <sequence>-<last sequence>-<created at>.level<level>.incremental.json.<gz|zst>[.enc]}, created at
 * the time of the last file it merges, so that it sorts after the files it merges and is usable for
 * a point-in-time restore from that time on.
 *
 * @param database the source database
 * @param chainStart when the chain's full backup was created
 * @param sequence the position in the chain, 0 for the full
 * @param createdAt when this file's backup was created
 * @param type full (sequence 0) or incremental (any other sequence)
 * @param codec the compression, which gives the extension
 * @param encrypted whether the file is encrypted, which adds {@value #ENCRYPTED_EXTENSION}
 * @param image whether the file is a snapshot file holding a physical image of the database (see
 *     {@link SnapshotFile}): a full backup named {@code <sequence>-<created at>.snapshot.img.<gz|
 *     zst>[.enc]}
 * @param lastSequence the last position the file covers: {@code sequence} but for a compacted file
 * @param level the compaction level, 0 for a file the engine wrote and 1 to {@value #MAX_LEVEL} for
 *     a compacted one
 */
public record BackupFileName(
    String database,
    Instant chainStart,
    int sequence,
    Instant createdAt,
    BackupType type,
    DumpCodec codec,
    boolean encrypted,
    boolean image,
    int lastSequence,
    int level)
    implements Comparable<BackupFileName> {

  /** The rule a database name follows, for messages. */
  public static final String DATABASE_NAME_RULE =
      "1 to 100 characters among letters, digits, '_', '.' and '-', starting with a letter or"
          + " a digit";

  /** The largest sequence number; a chain holds at most this many incrementals. */
  public static final int MAX_SEQUENCE = 999_999;

  /** The highest compaction level. */
  public static final int MAX_LEVEL = 9;

  /** The extension added to an encrypted file's name. */
  public static final String ENCRYPTED_EXTENSION = ".enc";

  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
  private static final String TIME = "\\d{8}T\\d{6}\\.\\d{3}Z";
  private static final Pattern FILE =
      Pattern.compile(
          "(\\d{6})-(?:(\\d{6})-)?("
              + TIME
              + ")\\.(?:level([1-9])\\.)?(?:(full|incremental)\\.(json\\.gz|json\\.zst)"
              + "|snapshot\\.img\\.(gz|zst))(\\.enc)?");

  /** The part of a snapshot file's name that says it holds an image. */
  public static final String SNAPSHOT_SUFFIX = "snapshot.img";

  private static final Pattern CHAIN = Pattern.compile(TIME);
  private static final DateTimeFormatter TIME_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");
  private static final Comparator<BackupFileName> ORDER =
      Comparator.comparing(BackupFileName::database)
          .thenComparing(BackupFileName::chainStart)
          .thenComparingInt(BackupFileName::sequence)
          .thenComparingInt(BackupFileName::lastSequence);

  /** Checks the fields and truncates both instants to milliseconds. */
  public BackupFileName {
    requireNonNull(database, "database is null");
    if (!isValidDatabaseName(database)) {
      throw new IllegalArgumentException(
          "database name '" + database + "' is not valid: " + DATABASE_NAME_RULE);
    }
    chainStart = requireNonNull(chainStart, "chainStart is null").truncatedTo(ChronoUnit.MILLIS);
    createdAt = requireNonNull(createdAt, "createdAt is null").truncatedTo(ChronoUnit.MILLIS);
    requireNonNull(type, "type is null");
    requireNonNull(codec, "codec is null");
    if (sequence < 0 || sequence > MAX_SEQUENCE) {
      throw new IllegalArgumentException(
          "sequence must be between 0 and " + MAX_SEQUENCE + " but was " + sequence);
    }
    if ((sequence == 0) != (type == BackupType.FULL)) {
      throw new IllegalArgumentException(
          "sequence 0 is the full backup and only it; got "
              + type.fileSuffix()
              + " with sequence "
              + sequence);
    }
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException(
          "compaction level must be between 0 and " + MAX_LEVEL + " but was " + level);
    }
    if ((level == 0) != (lastSequence == sequence)) {
      throw new IllegalArgumentException(
          "a compacted file (level 1 and up) and only it covers several positions; got level "
              + level
              + " covering "
              + sequence
              + " to "
              + lastSequence);
    }
    if (lastSequence < sequence || lastSequence > MAX_SEQUENCE) {
      throw new IllegalArgumentException(
          "lastSequence must be between sequence "
              + sequence
              + " and "
              + MAX_SEQUENCE
              + " but was "
              + lastSequence);
    }
    if (level > 0 && type != BackupType.INCREMENTAL) {
      throw new IllegalArgumentException("only incrementals are compacted");
    }
    if (image && type != BackupType.FULL) {
      throw new IllegalArgumentException("only the full backup of a chain is a snapshot");
    }
    if (type == BackupType.FULL && !createdAt.equals(chainStart)) {
      throw new IllegalArgumentException(
          "a full backup starts its chain, so createdAt "
              + createdAt
              + " must equal chainStart "
              + chainStart);
    }
  }

  /** The name of a file the engine wrote (not compacted); see the canonical constructor. */
  public BackupFileName(
      String database,
      Instant chainStart,
      int sequence,
      Instant createdAt,
      BackupType type,
      DumpCodec codec,
      boolean encrypted,
      boolean image) {
    this(database, chainStart, sequence, createdAt, type, codec, encrypted, image, sequence, 0);
  }

  /** A logical dump's name; see the canonical constructor. */
  public BackupFileName(
      String database,
      Instant chainStart,
      int sequence,
      Instant createdAt,
      BackupType type,
      DumpCodec codec,
      boolean encrypted) {
    this(database, chainStart, sequence, createdAt, type, codec, encrypted, false);
  }

  /** A gzip file's name; see the canonical constructor. */
  public BackupFileName(
      String database, Instant chainStart, int sequence, Instant createdAt, BackupType type) {
    this(database, chainStart, sequence, createdAt, type, DumpCodec.GZIP);
  }

  /** A plain (unencrypted) file's name; see the canonical constructor. */
  public BackupFileName(
      String database,
      Instant chainStart,
      int sequence,
      Instant createdAt,
      BackupType type,
      DumpCodec codec) {
    this(database, chainStart, sequence, createdAt, type, codec, false);
  }

  /** The name of a full gzip backup of {@code database} created at {@code createdAt}. */
  public static BackupFileName full(String database, Instant createdAt) {
    return full(database, createdAt, DumpCodec.GZIP);
  }

  /** The name of a full backup of {@code database} created at {@code createdAt}: a new chain. */
  public static BackupFileName full(String database, Instant createdAt, DumpCodec codec) {
    return full(database, createdAt, codec, false);
  }

  /** The name of a full backup, encrypted or not: a new chain. */
  public static BackupFileName full(
      String database, Instant createdAt, DumpCodec codec, boolean encrypted) {
    return new BackupFileName(database, createdAt, 0, createdAt, BackupType.FULL, codec, encrypted);
  }

  /**
   * The name of a snapshot file (a full backup holding an image), encrypted or not: a new chain.
   */
  public static BackupFileName snapshot(
      String database, Instant createdAt, DumpCodec codec, boolean encrypted) {
    return new BackupFileName(
        database, createdAt, 0, createdAt, BackupType.FULL, codec, encrypted, true);
  }

  /**
   * The name of the compacted file at {@code level} that merges the files from this one to {@code
   * last} (both incrementals of this chain, this one first), compressed with {@code codec} and
   * encrypted or not.
   */
  public BackupFileName compactedThrough(
      BackupFileName last, int level, DumpCodec codec, boolean encrypted) {
    requireNonNull(last, "last is null");
    if (!last.chainFolder().equals(chainFolder()) || last.lastSequence <= sequence) {
      throw new IllegalArgumentException(
          "cannot compact '" + path() + "' through '" + last.path() + "'");
    }
    return new BackupFileName(
        database,
        chainStart,
        sequence,
        last.createdAt,
        BackupType.INCREMENTAL,
        codec,
        encrypted,
        false,
        last.lastSequence,
        level);
  }

  /** Whether this is a compacted file (level 1 and up), which merges several positions. */
  public boolean isCompacted() {
    return level > 0;
  }

  /** How many positions of the chain the file covers: 1 but for a compacted file. */
  public int positions() {
    return lastSequence - sequence + 1;
  }

  /** The name of the incremental that follows this file in its chain, as this file is stored. */
  public BackupFileName next(Instant createdAt) {
    return next(createdAt, codec, encrypted);
  }

  /**
   * The name of the incremental that follows this file in its chain, compressed with {@code codec}.
   */
  public BackupFileName next(Instant createdAt, DumpCodec codec) {
    return next(createdAt, codec, false);
  }

  /** The name of the incremental that follows this file, with {@code codec}, encrypted or not. */
  public BackupFileName next(Instant createdAt, DumpCodec codec, boolean encrypted) {
    if (lastSequence == MAX_SEQUENCE) {
      throw new IllegalStateException(
          "chain "
              + chainFolder()
              + " is full ("
              + MAX_SEQUENCE
              + " incrementals); start a new chain with a full backup");
    }
    return new BackupFileName(
        database,
        chainStart,
        lastSequence + 1,
        createdAt,
        BackupType.INCREMENTAL,
        codec,
        encrypted);
  }

  /**
   * Parses a stored name whose last three segments are {@code <database>/<chain start>/<file>};
   * leading folders (such as a prefix the destination was pointed above) are ignored. Returns empty
   * for any name that is not a backup file name.
   */
  public static Optional<BackupFileName> parse(String path) {
    requireNonNull(path, "path is null");
    String[] segments = path.split("/", -1);
    if (segments.length < 3) {
      return Optional.empty();
    }
    int n = segments.length;
    return parse(segments[n - 3], segments[n - 2], segments[n - 1]);
  }

  /**
   * Parses a name relative to one database's folder, {@code <chain start>/<file>}, for a
   * destination pointed at that folder; {@code database} is the database it belongs to.
   */
  public static Optional<BackupFileName> parseInDatabaseFolder(String database, String path) {
    requireNonNull(database, "database is null");
    requireNonNull(path, "path is null");
    String[] segments = path.split("/", -1);
    if (segments.length != 2) {
      return Optional.empty();
    }
    return parse(database, segments[0], segments[1]);
  }

  private static Optional<BackupFileName> parse(String database, String chain, String file) {
    if (!isValidDatabaseName(database) || !CHAIN.matcher(chain).matches()) {
      return Optional.empty();
    }
    Matcher m = FILE.matcher(file);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      boolean image = m.group(5) == null;
      BackupType type =
          image || m.group(5).equals(BackupType.FULL.fileSuffix())
              ? BackupType.FULL
              : BackupType.INCREMENTAL;
      DumpCodec codec =
          DumpCodec.ofExtension(image ? "json." + m.group(7) : m.group(6)).orElseThrow();
      int sequence = Integer.parseInt(m.group(1));
      int level = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
      if ((m.group(2) == null) != (level == 0)) {
        return Optional.empty(); // a range needs a level and a level a range
      }
      return Optional.of(
          new BackupFileName(
              database,
              parseTime(chain),
              sequence,
              parseTime(m.group(3)),
              type,
              codec,
              m.group(8) != null,
              image,
              m.group(2) == null ? sequence : Integer.parseInt(m.group(2)),
              level));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return Optional.empty(); // a well-shaped name with an impossible date or combination
    }
  }

  /** Whether {@code name} is a valid database name; see {@link #DATABASE_NAME_RULE}. */
  public static boolean isValidDatabaseName(String name) {
    return name != null && DATABASE_NAME.matcher(name).matches();
  }

  /** Formats an instant as names do: {@code 20261128T144300.123Z}. */
  public static String formatTime(Instant instant) {
    return TIME_FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  private static Instant parseTime(String text) {
    return LocalDateTime.parse(text, TIME_FORMAT).toInstant(ZoneOffset.UTC);
  }

  /** The chain's folder: {@code <database>/<chain start>}. */
  public String chainFolder() {
    return database + "/" + formatTime(chainStart);
  }

  /** The file's own name, without folders. */
  public String fileName() {
    String kind =
        image
            ? SNAPSHOT_SUFFIX + codec.extension().substring("json".length())
            : type.fileSuffix() + "." + codec.extension();
    return String.format(
        "%06d-%s%s.%s%s%s",
        sequence,
        level == 0 ? "" : String.format("%06d-", lastSequence),
        formatTime(createdAt),
        level == 0 ? "" : "level" + level + ".",
        kind,
        encrypted ? ENCRYPTED_EXTENSION : "");
  }

  /**
   * The full relative name: {@code <database>/<chain start>/<sequence>-<created
   * at>.<type>.json.<gz|zst>[.enc]}.
   */
  public String path() {
    return chainFolder() + "/" + fileName();
  }

  /** Orders by database, chain start, sequence, then last sequence: restore order. */
  @Override
  public int compareTo(BackupFileName other) {
    return ORDER.compare(this, other);
  }

  /** The same as {@link #path()}. */
  @Override
  public String toString() {
    return path();
  }
}
