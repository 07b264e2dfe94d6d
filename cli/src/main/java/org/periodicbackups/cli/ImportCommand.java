package org.periodicbackups.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.periodicbackups.core.config.Json;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pbk import}: bulk-load documents from a JSON-lines file, one {@code {"Key": …, "Metadata":
 * {…}, "Body": {…}}} object per line, in batches of one transaction each. A bad line stops the
 * import with its line number; earlier batches stay.
 */
@Command(name = "import", description = "Bulk-import documents from a JSON-lines file.")
final class ImportCommand implements Callable<Integer> {
  @Mixin DatabaseOption database;

  @Parameters(index = "0", paramLabel = "<file.jsonl>")
  Path file;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      description = "Documents per transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  private record Line(String key, String metadata, String body) {}

  @Override
  public Integer call() throws Exception {
    ObjectMapper mapper = Json.mapper();
    long imported = 0;
    try (Workspace workspace = new Workspace();
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      SqliteDatabase db = workspace.database(database.name);
      List<Line> batch = new ArrayList<>(batchSize);
      String text;
      long lineNumber = 0;
      while ((text = reader.readLine()) != null) {
        lineNumber++;
        if (!text.isBlank()) {
          batch.add(parse(mapper, text, lineNumber));
        }
        if (batch.size() >= batchSize) {
          imported += write(db, batch);
        }
      }
      imported += write(db, batch);
    }
    System.out.println("imported " + imported + " documents into '" + database.name + "'");
    return 0;
  }

  private Line parse(ObjectMapper mapper, String text, long lineNumber) throws IOException {
    String where = file + ", line " + lineNumber;
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode key = node.get("Key");
    JsonNode body = node.get("Body");
    JsonNode metadata = node.get("Metadata");
    if (key == null
        || !key.isTextual()
        || body == null
        || !body.isObject()
        || (metadata != null && !metadata.isObject())) {
      throw new IOException(
          where
              + ": expected {\"Key\": \"…\", \"Metadata\": {…}, \"Body\": {…}}"
              + " (Metadata optional)");
    }
    return new Line(
        key.asText(),
        metadata == null ? "{}" : mapper.writeValueAsString(metadata),
        mapper.writeValueAsString(body));
  }

  private static int write(SqliteDatabase db, List<Line> batch) throws IOException {
    int size = batch.size();
    if (size > 0) {
      db.write(
          writer -> {
            for (Line line : batch) {
              writer.putDocument(line.key(), line.metadata(), line.body());
            }
          });
      batch.clear();
    }
    return size;
  }
}
