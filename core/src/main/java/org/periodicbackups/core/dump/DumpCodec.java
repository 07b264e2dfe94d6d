package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The compressions a dump file may use. The header's {@code Codec} field names it, the file name's
 * extension says it, and the reader recognises it from the first bytes of the file.
 */
public enum DumpCodec {
  /** gzip (RFC 1952), possibly several members in a row; {@code zcat} reads it. */
  GZIP("gzip", "json.gz", 1, 9, 6, new byte[] {0x1f, (byte) 0x8b}),
  /** Zstandard (RFC 8878) with content checksums; {@code zstdcat} reads it. */
  ZSTD("zstd", "json.zst", 1, 19, 3, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});

  /** The most magic bytes any codec needs to be recognised. */
  static final int MAGIC_LENGTH = 4;

  private final String codecName;
  private final String extension;
  private final int minLevel;
  private final int maxLevel;
  private final int defaultLevel;
  private final byte[] magic;

  DumpCodec(
      String codecName,
      String extension,
      int minLevel,
      int maxLevel,
      int defaultLevel,
      byte[] magic) {
    this.codecName = codecName;
    this.extension = extension;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.defaultLevel = defaultLevel;
    this.magic = magic;
  }

  /** The name in the header's {@code Codec} field and in the setup: {@code gzip}, {@code zstd}. */
  public String codecName() {
    return codecName;
  }

  /** The file name extension without the leading dot: {@code json.gz}, {@code json.zst}. */
  public String extension() {
    return extension;
  }

  /** The fastest level. */
  public int minLevel() {
    return minLevel;
  }

  /** The smallest-output level this code accepts. */
  public int maxLevel() {
    return maxLevel;
  }

  /** The level used when none is given. */
  public int defaultLevel() {
    return defaultLevel;
  }

  /** The codec named {@code name} ({@code gzip}, {@code zstd}), or empty. */
  public static Optional<DumpCodec> named(String name) {
    requireNonNull(name, "name is null");
    return Arrays.stream(values()).filter(c -> c.codecName.equals(name)).findFirst();
  }

  /** The codec whose file name extension is {@code extension}, or empty. */
  public static Optional<DumpCodec> ofExtension(String extension) {
    return Arrays.stream(values()).filter(c -> c.extension.equals(extension)).findFirst();
  }

  /** The names of every codec, for messages. */
  public static List<String> names() {
    return Arrays.stream(values()).map(DumpCodec::codecName).toList();
  }

  /** The codec whose magic bytes start {@code head} (its first {@code length} bytes), or empty. */
  static Optional<DumpCodec> detect(byte[] head, int length) {
    for (DumpCodec codec : values()) {
      if (length >= codec.magic.length
          && Arrays.equals(head, 0, codec.magic.length, codec.magic, 0, codec.magic.length)) {
        return Optional.of(codec);
      }
    }
    return Optional.empty();
  }
}
