package org.periodicbackups.store.sqlite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a database holds, reduced to comparable values: each non-system document's metadata and body
 * in compact JSON, each attachment's metadata and content SHA-256. Etags are left out, since a
 * restore assigns its own.
 *
 * <p>For checking that a restore equals its source, in tests, the demo and tools. It holds one
 * entry per key, so it suits databases that fit comfortably in memory.
 *
 * @param documents key → compact metadata and body
 * @param attachments key → compact metadata and content SHA-256
 */
public record DatabaseContents(Map<String, String> documents, Map<String, String> attachments) {
  private static final JsonFactory FACTORY = new JsonFactory();

  public DatabaseContents {
    documents = Map.copyOf(documents);
    attachments = Map.copyOf(attachments);
  }

  /** Reads every non-system document and every attachment of {@code database}. */
  public static DatabaseContents of(SqliteDatabase database) throws IOException {
    Map<String, String> documents = new TreeMap<>();
    database.forEachDocument(
        document ->
            documents.put(
                document.key(),
                compact(document.metadataJson()) + " " + compact(document.bodyJson())));
    Map<String, String> attachments = new TreeMap<>();
    database.forEachAttachment(
        (info, content) ->
            attachments.put(info.key(), compact(info.metadataJson()) + " " + sha256(content)));
    return new DatabaseContents(documents, attachments);
  }

  /** The first difference from {@code actual}, described for a person; null if equal. */
  public String differenceFrom(DatabaseContents actual) {
    String documentDifference = difference("document", documents, actual.documents);
    return documentDifference != null
        ? documentDifference
        : difference("attachment", attachments, actual.attachments);
  }

  private static String difference(
      String kind, Map<String, String> expected, Map<String, String> actual) {
    for (String key : new TreeMap<>(expected).keySet()) {
      String other = actual.get(key);
      if (other == null) {
        return kind + " '" + key + "' is missing";
      }
      if (!Objects.equals(expected.get(key), other)) {
        return kind + " '" + key + "' differs: expected " + expected.get(key) + " but was " + other;
      }
    }
    for (String key : new TreeMap<>(actual).keySet()) {
      if (!expected.containsKey(key)) {
        return kind + " '" + key + "' should not exist";
      }
    }
    return null;
  }

  /** The same JSON value written compactly, so that whitespace does not count as a change. */
  private static String compact(String json) throws IOException {
    StringWriter out = new StringWriter(json.length());
    try (JsonParser parser = FACTORY.createParser(json);
        JsonGenerator generator = FACTORY.createGenerator(out)) {
      parser.nextToken();
      generator.copyCurrentStructure(parser);
    }
    return out.toString();
  }

  private static String sha256(InputStream content) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(content, digest)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
