package org.periodicbackups.destination.glacier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the JSON output of an inventory-retrieval job into catalogue entries, by the file name each
 * archive description carries. Archives without such a description (uploaded by other tools) are
 * skipped; when two archives carry the same name the newest one wins. Streams the archive list,
 * since a vault may hold millions of archives.
 */
final class InventoryReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Counts of what an inventory held. */
  record Result(Map<String, Catalogue.Entry> entries, int archives, int foreign) {}

  private InventoryReader() {}

  static Result read(InputStream json) throws IOException {
    Map<String, Catalogue.Entry> entries = new HashMap<>();
    int archives = 0;
    int foreign = 0;
    try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the inventory is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (!"ArchiveList".equals(field) || parser.currentToken() != JsonToken.START_ARRAY) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          JsonNode archive = MAPPER.readTree(parser);
          archives++;
          String name = ArchiveDescription.nameOf(archive.path("ArchiveDescription").asText(null));
          if (name == null) {
            foreign++;
            continue;
          }
          Catalogue.Entry entry =
              new Catalogue.Entry(
                  archive.path("ArchiveId").asText(),
                  archive.path("Size").asLong(Catalogue.UNKNOWN_SIZE),
                  archive.path("SHA256TreeHash").asText(null),
                  archive.path("CreationDate").asText(""));
          entries.merge(
              name, entry, (a, b) -> b.creationDate().compareTo(a.creationDate()) > 0 ? b : a);
        }
      }
    }
    return new Result(entries, archives, foreign);
  }
}
