package org.periodicbackups.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.periodicbackups.core.config.Json;
import org.periodicbackups.store.sqlite.SqliteDatabase;

/**
 * What a database holds, reduced to comparable values: each document's metadata and body in
 * canonical JSON, each attachment's metadata and SHA-256. For comparing a restore with its source
 * in the demo; it holds one entry per key, so it is meant for small databases.
 *
 * @param documents key → canonical {@code metadata + body}
 * @param attachments key → canonical metadata + content SHA-256
 */
record DatabaseContents(Map<String, String> documents, Map<String, String> attachments) {

  static DatabaseContents of(SqliteDatabase database) throws IOException {
    ObjectMapper mapper = Json.mapper();
    Map<String, String> documents = new TreeMap<>();
    database.forEachDocument(document -> documents.put(document.key(),
        mapper.readTree(document.metadataJson()) + " " + mapper.readTree(document.bodyJson())));
    Map<String, String> attachments = new TreeMap<>();
    database.forEachAttachment((info, content) -> attachments.put(info.key(),
        mapper.readTree(info.metadataJson()) + " " + sha256(content)));
    return new DatabaseContents(documents, attachments);
  }

  /** The first difference from {@code other}, described for a person; null if equal. */
  String differenceFrom(DatabaseContents other) {
    String documentDifference = difference("document", documents, other.documents);
    return documentDifference != null ? documentDifference
        : difference("attachment", attachments, other.attachments);
  }

  private static String difference(
      String kind, Map<String, String> expected, Map<String, String> actual) {
    for (var entry : expected.entrySet()) {
      String other = actual.get(entry.getKey());
      if (other == null) {
        return kind + " '" + entry.getKey() + "' is missing";
      }
      if (!Objects.equals(entry.getValue(), other)) {
        return kind + " '" + entry.getKey() + "' differs";
      }
    }
    for (String key : actual.keySet()) {
      if (!expected.containsKey(key)) {
        return kind + " '" + key + "' should not exist";
      }
    }
    return null;
  }

  private static String sha256(InputStream content) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(content, digest)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
