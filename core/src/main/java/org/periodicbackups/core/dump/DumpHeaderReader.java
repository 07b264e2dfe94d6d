package org.periodicbackups.core.dump;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.periodicbackups.api.model.BackupType;
import org.periodicbackups.api.source.ContentDigest;
import org.periodicbackups.api.source.ImageFormat;

/**
 * Reads the start of a dump file's JSON, up to and including the {@code "Backup"} header object,
 * and checks the header against the file's bytes: its {@code Codec} must be the compression the
 * data has, its {@code KeyId} the one the encryption envelope names (none for a plain file). The
 * parser is left before the first section.
 */
final class DumpHeaderReader extends DumpPartReader {
  private static final Set<String> HEADER_FIELDS =
      Set.of(
          "FormatVersion",
          "Database",
          "Type",
          "CreatedAt",
          "FromEtag",
          "ToEtag",
          "Codec",
          "Previous",
          "PreviousSha256",
          "Encryption",
          "KeyId",
          "Image",
          "Content",
          "Lease",
          "Compacts");
  private static final List<String> CODECS = DumpCodec.names();

  private final DumpCodec detected;
  private final String envelopeKeyId; // null for a plain file

  /**
   * @param detected the compression recognised from the file's bytes
   * @param envelopeKeyId the key id of the file's encryption envelope, or null for a plain file
   */
  DumpHeaderReader(JsonParser json, String fileName, DumpCodec detected, String envelopeKeyId) {
    super(json, fileName);
    this.detected = detected;
    this.envelopeKeyId = envelopeKeyId;
  }

  /**
   * Reads and checks the header.
   *
   * @throws org.periodicbackups.api.InvalidBackupException naming the file if the JSON does not
   *     start with a valid header of this format version, or the header does not match the file
   */
  DumpHeader read() throws IOException {
    if (json.nextToken() != JsonToken.START_OBJECT) {
      throw problem("the file does not start with a JSON object");
    }
    if (json.currentLocation().getByteOffset() < 0) {
      // Jackson reads UTF-16 and UTF-32 through a character reader, without byte offsets.
      throw problem("its JSON is not UTF-8; a backup file is UTF-8 JSON (RFC 8259)");
    }
    if (json.nextToken() != JsonToken.FIELD_NAME || !DumpJson.BACKUP.equals(json.currentName())) {
      throw problem("the file does not start with the \"Backup\" header object");
    }
    expect(JsonToken.START_OBJECT, "the \"Backup\" header");
    Integer version = null;
    String database = null;
    String type = null;
    String createdAt = null;
    Long fromEtag = null;
    Long toEtag = null;
    String codec = null;
    String previous = null;
    String previousSha256 = null;
    String encryption = null;
    String keyId = null;
    ImageFormat image = null;
    ContentDigest content = null;
    boolean hasContent = false;
    LeaseFence lease = null;
    Compaction compacts = null;
    List<String> unknown = new ArrayList<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "FormatVersion" ->
            version =
                (int)
                    Math.max(
                        Integer.MIN_VALUE,
                        Math.min(Integer.MAX_VALUE, longValue(value, "Backup.FormatVersion")));
        case "Database" -> database = text(value, "Backup.Database");
        case "Type" -> type = text(value, "Backup.Type");
        case "CreatedAt" -> createdAt = text(value, "Backup.CreatedAt");
        case "FromEtag" -> fromEtag = longValue(value, "Backup.FromEtag");
        case "ToEtag" -> toEtag = longValue(value, "Backup.ToEtag");
        case "Codec" -> codec = text(value, "Backup.Codec");
        case "Previous" -> previous = nullableText(value, "Backup.Previous");
        case "PreviousSha256" -> previousSha256 = nullableText(value, "Backup.PreviousSha256");
        case "Encryption" -> encryption = nullableText(value, "Backup.Encryption");
        case "KeyId" -> keyId = nullableText(value, "Backup.KeyId");
        case "Image" -> image = image(value);
        case "Content" -> {
          content = content(value);
          hasContent = true;
        }
        case "Lease" -> lease = lease(value);
        case "Compacts" -> compacts = compacts(value);
        default -> {
          unknown.add(field);
          json.skipChildren();
        }
      }
    }
    // The version first: a newer format may well have fields this one does not know.
    if (version == null) {
      throw problem("the header has no FormatVersion");
    }
    if (version < DumpHeader.OLDEST_FORMAT_VERSION || version > DumpHeader.NEWEST_FORMAT_VERSION) {
      throw problem(
          "format version "
              + version
              + " is not supported by this version (supports "
              + DumpHeader.OLDEST_FORMAT_VERSION
              + " to "
              + DumpHeader.NEWEST_FORMAT_VERSION
              + "); restore it with the release that wrote it or a newer"
              + " one");
    }
    if (version == 1 && hasContent) {
      unknown.add("Content");
    }
    if (version < DumpHeader.LEASE_FORMAT_VERSION && lease != null) {
      unknown.add("Lease");
    }
    if (version == 1 && compacts != null) {
      unknown.add("Compacts");
    }
    if (!unknown.isEmpty()) {
      throw problem(
          "unknown header field(s) "
              + unknown
              + "; known: "
              + new TreeSet<>(HEADER_FIELDS)
              + " (the file is corrupt, or a newer version wrote it)");
    }
    List<String> missing = new ArrayList<>();
    addIfNull(missing, "Database", database);
    addIfNull(missing, "Type", type);
    addIfNull(missing, "CreatedAt", createdAt);
    addIfNull(missing, "FromEtag", fromEtag);
    addIfNull(missing, "ToEtag", toEtag);
    addIfNull(missing, "Codec", codec);
    if (version >= 2 && !hasContent) {
      missing.add("Content");
    }
    if (version >= DumpHeader.LEASE_FORMAT_VERSION && lease == null) {
      missing.add("Lease");
    }
    if (!missing.isEmpty()) {
      throw problem("the header lacks field(s) " + missing);
    }
    checkMatchesFile(codec, keyId);
    try {
      return new DumpHeader(
          version,
          database,
          BackupType.fromDisplayName(type),
          Instant.parse(createdAt),
          fromEtag,
          toEtag,
          codec,
          previous,
          previousSha256,
          encryption,
          keyId,
          image,
          content,
          lease,
          compacts);
    } catch (DateTimeParseException e) {
      throw problem("the header's CreatedAt '" + createdAt + "' is not an ISO-8601 instant");
    } catch (IllegalArgumentException | NullPointerException e) {
      throw problem("invalid header: " + e.getMessage());
    }
  }

  /**
   * {@code "Content": {"Algorithm": "sha256-sum", "Documents": n, "Attachments": n, "Digest":
   * hex}}, or null for {@code {"Algorithm": "none"}}.
   */
  private ContentDigest content(JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      throw problem(
          "Backup.Content must be an object {\"Algorithm\": …, \"Documents\": …,"
              + " \"Attachments\": …, \"Digest\": …}");
    }
    String algorithm = null;
    Long documents = null;
    Long attachments = null;
    String digest = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken token = json.nextToken();
      switch (field) {
        case "Algorithm" -> algorithm = text(token, "Backup.Content.Algorithm");
        case "Documents" -> documents = longValue(token, "Backup.Content.Documents");
        case "Attachments" -> attachments = longValue(token, "Backup.Content.Attachments");
        case "Digest" -> digest = text(token, "Backup.Content.Digest");
        default -> throw problem("unknown field Backup.Content." + field);
      }
    }
    if ("none".equals(algorithm) && documents == null && attachments == null && digest == null) {
      return null;
    }
    if (!ContentDigest.ALGORITHM.equals(algorithm)) {
      throw problem(
          "Backup.Content.Algorithm '"
              + algorithm
              + "' is not known; known: "
              + ContentDigest.ALGORITHM
              + ", none");
    }
    if (documents == null || attachments == null || digest == null) {
      throw problem("Backup.Content needs Documents, Attachments and Digest");
    }
    try {
      return new ContentDigest(documents, attachments, digest);
    } catch (IllegalArgumentException e) {
      throw problem("invalid Backup.Content: " + e.getMessage());
    }
  }

  /** {@code "Compacts": {"Files": n, "Last": name, "LastSha256": hex}}. */
  private Compaction compacts(JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      throw problem(
          "Backup.Compacts must be an object {\"Files\": …, \"Last\": …, \"LastSha256\": …}");
    }
    Long files = null;
    String last = null;
    String lastSha256 = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken next = json.nextToken();
      switch (field) {
        case "Files" -> files = longValue(next, "Backup.Compacts.Files");
        case "Last" -> last = text(next, "Backup.Compacts.Last");
        case "LastSha256" -> lastSha256 = text(next, "Backup.Compacts.LastSha256");
        default -> throw problem("unknown field Backup.Compacts." + field);
      }
    }
    if (files == null || last == null || lastSha256 == null) {
      throw problem("Backup.Compacts needs Files, Last and LastSha256");
    }
    try {
      return new Compaction((int) Math.min(Integer.MAX_VALUE, files), last, lastSha256);
    } catch (IllegalArgumentException e) {
      throw problem("invalid Backup.Compacts: " + e.getMessage());
    }
  }

  /** {@code "Lease": {"Token": n, "Holder": text}}. */
  private LeaseFence lease(JsonToken value) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      throw problem("Backup.Lease must be an object {\"Token\": …, \"Holder\": …}");
    }
    Long token = null;
    String holder = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken next = json.nextToken();
      switch (field) {
        case "Token" -> token = longValue(next, "Backup.Lease.Token");
        case "Holder" -> holder = text(next, "Backup.Lease.Holder");
        default -> throw problem("unknown field Backup.Lease." + field);
      }
    }
    if (token == null || holder == null) {
      throw problem("Backup.Lease needs both Token and Holder");
    }
    try {
      return new LeaseFence(token, holder);
    } catch (IllegalArgumentException e) {
      throw problem("invalid Backup.Lease: " + e.getMessage());
    }
  }

  /** {@code "Image": {"Format": name, "Version": n}}, or null. */
  private ImageFormat image(JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.START_OBJECT) {
      throw problem("Backup.Image must be an object {\"Format\": …, \"Version\": …}");
    }
    String format = null;
    Long version = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken token = json.nextToken();
      switch (field) {
        case "Format" -> format = text(token, "Backup.Image.Format");
        case "Version" -> version = longValue(token, "Backup.Image.Version");
        default -> throw problem("unknown field Backup.Image." + field);
      }
    }
    if (format == null || version == null) {
      throw problem("Backup.Image needs both Format and Version");
    }
    try {
      return new ImageFormat(format, (int) Math.max(0, Math.min(Integer.MAX_VALUE, version)));
    } catch (IllegalArgumentException e) {
      throw problem("invalid Backup.Image: " + e.getMessage());
    }
  }

  /** The header's codec and key id against what the file's bytes are. */
  private void checkMatchesFile(String codec, String keyId) throws IOException {
    if (!CODECS.contains(codec)) {
      throw problem("codec '" + codec + "' is not known to this version (knows " + CODECS + ")");
    }
    if (!codec.equals(detected.codecName())) {
      throw problem(
          "its header says Codec '"
              + codec
              + "' but its data is "
              + detected.codecName()
              + "-compressed; the file was altered");
    }
    if (!Objects.equals(keyId, envelopeKeyId)) {
      throw problem(
          envelopeKeyId == null
              ? "its header says it is encrypted (KeyId "
                  + keyId
                  + ") but the file is not; the"
                  + " file was altered"
              : "its encryption envelope names key id "
                  + envelopeKeyId
                  + " but its header says "
                  + (keyId == null ? "no KeyId" : "KeyId " + keyId)
                  + "; the file was altered");
    }
  }
}
