package org.periodicbackups.core.dump;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.periodicbackups.api.source.ContentDigest;

/**
 * Writes the {@code "Backup"} header object of dump and snapshot files; {@link DumpHeaderReader}
 * reads it back.
 */
final class DumpHeaderWriter {
  private DumpHeaderWriter() {}

  /** Writes {@code "Backup": {…}} as the next field of the object {@code json} is in. */
  static void write(JsonGenerator json, DumpHeader header) throws IOException {
    json.writeObjectFieldStart(DumpJson.BACKUP);
    json.writeNumberField("FormatVersion", header.formatVersion());
    json.writeStringField("Database", header.database());
    json.writeStringField("Type", header.type().displayName());
    json.writeStringField("CreatedAt", header.createdAt().toString());
    json.writeNumberField("FromEtag", header.fromEtag());
    json.writeNumberField("ToEtag", header.toEtag());
    json.writeStringField("Codec", header.codec());
    if (header.previous() != null) {
      json.writeStringField("Previous", header.previous());
      json.writeStringField("PreviousSha256", header.previousSha256());
    }
    if (header.encrypted()) {
      json.writeStringField("Encryption", header.encryption());
      json.writeStringField("KeyId", header.keyId());
    }
    if (header.isImage()) {
      json.writeObjectFieldStart("Image");
      json.writeStringField("Format", header.image().name());
      json.writeNumberField("Version", header.image().version());
      json.writeEndObject();
    }
    if (header.formatVersion() >= 2) {
      json.writeObjectFieldStart("Content");
      ContentDigest content = header.content();
      if (content == null) {
        json.writeStringField("Algorithm", "none");
      } else {
        json.writeStringField("Algorithm", ContentDigest.ALGORITHM);
        json.writeNumberField("Documents", content.documents());
        json.writeNumberField("Attachments", content.attachments());
        json.writeStringField("Digest", content.digest());
      }
      json.writeEndObject();
    }
    if (header.lease() != null) {
      json.writeObjectFieldStart("Lease");
      json.writeNumberField("Token", header.lease().token());
      json.writeStringField("Holder", header.lease().holder());
      json.writeEndObject();
    }
    if (header.compacts() != null) {
      json.writeObjectFieldStart("Compacts");
      json.writeNumberField("Files", header.compacts().files());
      json.writeStringField("Last", header.compacts().last());
      json.writeStringField("LastSha256", header.compacts().lastSha256());
      json.writeEndObject();
    }
    json.writeEndObject();
  }
}
