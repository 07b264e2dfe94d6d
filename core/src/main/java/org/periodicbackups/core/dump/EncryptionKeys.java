package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.periodicbackups.api.source.ChangeSource;

/**
 * The keys offered to read encrypted backup files: several when keys were rotated, each file
 * picking its own by key id. Immutable; {@link #toString()} shows key ids only.
 */
public final class EncryptionKeys {
  private static final EncryptionKeys NONE = new EncryptionKeys(Map.of());

  private final Map<String, EncryptionKey> byId;

  private EncryptionKeys(Map<String, EncryptionKey> byId) {
    this.byId = byId;
  }

  /** No key: encrypted files are refused with a message saying how to supply one. */
  public static EncryptionKeys none() {
    return NONE;
  }

  /** These keys (duplicates are kept once). */
  public static EncryptionKeys of(Collection<EncryptionKey> keys) {
    requireNonNull(keys, "keys is null");
    Map<String, EncryptionKey> byId = new LinkedHashMap<>();
    for (EncryptionKey key : keys) {
      byId.putIfAbsent(requireNonNull(key, "a key is null").keyId(), key);
    }
    return new EncryptionKeys(Map.copyOf(byId));
  }

  /** These keys. */
  public static EncryptionKeys of(EncryptionKey... keys) {
    return of(List.of(keys));
  }

  /**
   * {@code database}'s own key (its secured setting {@value EncryptionKey#SETTING}), or none.
   *
   * @throws IllegalArgumentException naming the setting and the database if its value is not a key
   */
  public static EncryptionKeys ownKey(ChangeSource database) throws IOException {
    Optional<String> own = database.setting(EncryptionKey.SETTING);
    if (own.isEmpty()) {
      return none();
    }
    return of(
        EncryptionKey.parse(
            own.get(),
            "the secured setting "
                + EncryptionKey.SETTING
                + " of database '"
                + database.databaseName()
                + "'"));
  }

  /** These keys and {@code other}'s. */
  public EncryptionKeys and(EncryptionKeys other) {
    List<EncryptionKey> all = new ArrayList<>(byId.values());
    all.addAll(requireNonNull(other, "other is null").byId.values());
    return of(all);
  }

  /** The key with this key id, if offered. */
  public Optional<EncryptionKey> find(String keyId) {
    return Optional.ofNullable(byId.get(keyId));
  }

  /** The keys offered, in key id order. */
  public List<EncryptionKey> all() {
    return keyIds().stream().map(byId::get).toList();
  }

  /** The ids of the keys offered, sorted. */
  public List<String> keyIds() {
    return byId.keySet().stream().sorted().toList();
  }

  /** Whether no key is offered. */
  public boolean isEmpty() {
    return byId.isEmpty();
  }

  /** The key ids only. */
  @Override
  public String toString() {
    return "EncryptionKeys" + keyIds();
  }
}
