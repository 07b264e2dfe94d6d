package org.periodicbackups.store.sqlite;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings of one database, plain or secured: a secured setting (a credential) is sealed with
 * the data folder's master key before it is stored, is returned decrypted by {@link #get(String)}
 * only, and is never listed, logged or put in a message. Settings are not documents and take no
 * etag; they change in write transactions of their own, without change events. The contract of each
 * method is that of the {@link SqliteDatabase} method that calls it.
 */
final class DatabaseSettings {
  private final DatabaseConnections connections;
  private final MasterKeySource masterKey;

  DatabaseSettings(DatabaseConnections connections, MasterKeySource masterKey) {
    this.connections = connections;
    this.masterKey = masterKey;
  }

  /** A setting's value, if set; a secured setting's value decrypted. */
  Optional<String> get(String settingName) throws IOException {
    requireSettingName(settingName);
    StoredSetting stored =
        connections.read(
            "read setting '" + settingName + "'",
            connection -> {
              try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT value FROM secured_settings WHERE name = ?")) {
                select.setString(1, settingName);
                try (ResultSet rows = select.executeQuery()) {
                  if (rows.next()) {
                    return new StoredSetting(null, rows.getBytes(1));
                  }
                }
              }
              try (PreparedStatement select =
                  connection.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
                select.setString(1, settingName);
                try (ResultSet rows = select.executeQuery()) {
                  return rows.next() ? new StoredSetting(rows.getString(1), null) : null;
                }
              }
            });
    if (stored == null) {
      return Optional.empty();
    }
    if (stored.sealed() == null) {
      return Optional.of(stored.plain());
    }
    try {
      return Optional.of(masterKey.forReading(settingName).open(settingName, stored.sealed()));
    } catch (SecretBox.SecretBoxException e) {
      throw new IOException("database file " + connections.file() + ": " + e.getMessage());
    }
  }

  /** Sets a plain setting; refuses to replace a secured one. */
  void put(String settingName, String value) throws IOException {
    putAll(
        Map.of(
            requireSettingName(settingName),
            requireNonNull(value, "value of setting '" + settingName + "' is null")),
        Map.of());
  }

  /** Sets a secured setting, replacing a plain setting of the same name. */
  void putSecured(String settingName, String value) throws IOException {
    putAll(
        Map.of(),
        Map.of(
            requireSettingName(settingName),
            requireNonNull(value, "value of secured setting '" + settingName + "' is null")));
  }

  /** Sets plain and secured settings in one transaction. */
  void putAll(Map<String, String> plain, Map<String, String> secured) throws IOException {
    plain.forEach(
        (key, value) -> {
          requireSettingName(key);
          requireNonNull(value, "value of setting '" + key + "' is null");
        });
    secured.forEach(
        (key, value) -> {
          requireSettingName(key);
          requireNonNull(value, "value of secured setting '" + key + "' is null");
          if (plain.containsKey(key)) {
            throw new IllegalArgumentException(
                "setting '" + key + "' is given both plain and" + " secured");
          }
        });
    Map<String, byte[]> sealed = new TreeMap<>();
    if (!secured.isEmpty()) {
      SecretBox box = masterKey.forWriting();
      secured.forEach((key, value) -> sealed.put(key, box.seal(key, value)));
    }
    update(
        transaction -> {
          for (Map.Entry<String, String> entry : plain.entrySet()) {
            if (transaction.isSecuredSetting(entry.getKey())) {
              throw new IllegalArgumentException(
                  "setting '"
                      + entry.getKey()
                      + "' is secured;"
                      + " set it with putSecuredSetting, or remove it before setting it in plain text");
            }
            transaction.putSetting(entry.getKey(), entry.getValue());
          }
          for (Map.Entry<String, byte[]> entry : sealed.entrySet()) {
            transaction.putSecuredSetting(entry.getKey(), entry.getValue());
          }
        });
  }

  /** Removes a setting, plain or secured, if it is set. */
  void remove(String settingName) throws IOException {
    requireSettingName(settingName);
    update(transaction -> transaction.removeSetting(settingName));
  }

  /** Every plain setting with its value, sorted by name. */
  Map<String, String> plain() throws IOException {
    return connections.read(
        "read settings",
        connection -> {
          Map<String, String> settings = new TreeMap<>();
          try (PreparedStatement select =
                  connection.prepareStatement("SELECT name, value FROM settings");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              settings.put(rows.getString(1), rows.getString(2));
            }
          }
          return settings;
        });
  }

  /** Whether {@code settingName} is set as a secured setting. */
  boolean isSecured(String settingName) throws IOException {
    requireSettingName(settingName);
    return connections.read(
        "read setting '" + settingName + "'",
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement("SELECT 1 FROM secured_settings WHERE name = ?")) {
            select.setString(1, settingName);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next();
            }
          }
        });
  }

  /** The names of the secured settings, sorted. */
  Set<String> securedNames() throws IOException {
    return connections.read(
        "read secured setting names",
        connection -> {
          Set<String> names = new TreeSet<>();
          try (PreparedStatement select =
                  connection.prepareStatement("SELECT name FROM secured_settings");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              names.add(rows.getString(1));
            }
          }
          return Collections.unmodifiableSet(names);
        });
  }

  /** A setting as stored: plain text or a sealed secured value. No {@code toString} of values. */
  private record StoredSetting(String plain, byte[] sealed) {
    @Override
    public String toString() {
      return sealed != null ? "StoredSetting[secured]" : "StoredSetting[plain]";
    }
  }

  @FunctionalInterface
  private interface SettingsUpdate {
    void apply(WriteTransaction transaction) throws IOException;
  }

  private void update(SettingsUpdate update) throws IOException {
    connections.checkOpen();
    WriterConnection writer = connections.writer();
    writer.lock();
    try {
      WriteTransaction transaction = WriteTransaction.begin(writer, false);
      try {
        update.apply(transaction);
        transaction.commit();
      } catch (IOException | RuntimeException e) {
        transaction.rollback();
        throw e;
      }
    } finally {
      writer.unlock();
    }
  }

  private static String requireSettingName(String settingName) {
    requireNonNull(settingName, "setting name is null");
    if (settingName.isBlank()) {
      throw new IllegalArgumentException("setting name must not be blank");
    }
    return settingName;
  }
}
