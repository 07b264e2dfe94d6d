package org.periodicbackups.core.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.api.config.ClosestName;
import org.periodicbackups.api.config.PeriodicBackupSetup;

/**
 * Reads and writes the setup document {@code Raven/Backup/Periodic/Setup}.
 *
 * <p>The parser is strict and reports every problem at once in one {@link ConfigurationException}:
 * JSON syntax (with line and column), unknown fields (with the closest known name), values of the
 * wrong type, and the value rules of {@link PeriodicBackupSetup} itself. Known field names come
 * from the record, so a field added there is accepted here without change. {@code null} values and
 * blank strings count as absent; numbers may also be given as strings of digits, as HTML forms send
 * them. Option values inside {@code Destinations} may be secrets and are never echoed in messages.
 */
public final class SetupDocuments {
  /** The key of the setup document. */
  public static final String KEY = "Raven/Backup/Periodic/Setup";

  private static final RecordFields<PeriodicBackupSetup> FIELDS =
      new RecordFields<>(PeriodicBackupSetup.class);
  private static final int MAX_SHOWN_VALUE = 60;

  private SetupDocuments() {}

  /** The known field names, in document order. */
  public static List<String> fieldNames() {
    return FIELDS.names();
  }

  /**
   * Parses a setup document.
   *
   * @throws ConfigurationException listing every problem found
   */
  public static PeriodicBackupSetup parse(String json) {
    requireNonNull(json, "json is null");
    JsonNode root = readTree(json);
    if (!root.isObject()) {
      throw new ConfigurationException(
          "setup document must be a JSON object {…} but is " + kindOf(root));
    }
    List<String> problems = new ArrayList<>();
    Object[] values = new Object[FIELDS.byName().size()];
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      RecordFields.Field field = FIELDS.byName().get(entry.getKey());
      if (field == null) {
        problems.add(unknownField(entry.getKey()));
      } else {
        values[field.position()] = convert(field, entry.getValue(), problems);
      }
    }
    PeriodicBackupSetup setup = FIELDS.create(values, problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return setup;
  }

  /** The setup as a pretty-printed document; absent and empty fields are left out. */
  public static String toJson(PeriodicBackupSetup setup) {
    requireNonNull(setup, "setup is null");
    ObjectNode tree = Json.mapper().valueToTree(setup);
    List<String> absent = new ArrayList<>();
    tree.properties()
        .forEach(
            e -> {
              if (e.getValue().isNull()
                  || (e.getValue().isContainerNode() && e.getValue().isEmpty())) {
                absent.add(e.getKey());
              }
            });
    tree.remove(absent);
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write a JSON tree", e);
    }
  }

  private static JsonNode readTree(String json) {
    ObjectReader reader =
        Json.mapper()
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try {
      JsonNode root = reader.readTree(json);
      if (root == null || root.isMissingNode()) {
        throw new ConfigurationException("setup document is empty; write {} for all defaults");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigurationException(
          "setup document is not valid JSON" + where + ": " + e.getOriginalMessage());
    }
  }

  private static String unknownField(String name) {
    return ClosestName.of(name, FIELDS.byName().keySet())
        .map(known -> "unknown field '" + name + "'; did you mean '" + known + "'?")
        .orElseGet(() -> "unknown field '" + name + "'; known fields: " + FIELDS.names());
  }

  /** The value of {@code field}, or null (absent, or a problem was added). */
  private static Object convert(RecordFields.Field field, JsonNode value, List<String> problems) {
    if (value.isNull() || (value.isTextual() && value.asText().isBlank())) {
      return null;
    }
    Class<?> type = field.type();
    String name = field.jsonName();
    if (type == boolean.class || type == Boolean.class) {
      if (value.isBoolean()) {
        return value.booleanValue();
      }
      problems.add(name + ": " + show(value) + " is not true or false");
    } else if (type == String.class) {
      if (value.isTextual()) {
        return value.textValue();
      }
      problems.add(name + ": " + show(value) + " is not a string; write it in quotes");
    } else if (type == long.class || type == Long.class) {
      return wholeNumber(name, value, problems);
    } else if (isOptionsMap(field.genericType())) {
      return destinations(name, value, problems);
    } else {
      try {
        return Json.mapper()
            .treeToValue(value, Json.mapper().getTypeFactory().constructType(field.genericType()));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        problems.add(name + ": " + show(value) + " is not a valid " + type.getSimpleName());
      }
    }
    return null;
  }

  private static Long wholeNumber(String name, JsonNode value, List<String> problems) {
    String unit = name.endsWith("Milliseconds") ? " of milliseconds" : "";
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.textValue().strip());
      } catch (NumberFormatException e) {
        problems.add(name + ": " + show(value) + " is not a number" + unit);
        return null;
      }
    }
    problems.add(
        name
            + ": "
            + show(value)
            + " is not a whole number"
            + unit
            + (value.isNumber() ? " that fits in 64 bits" : ""));
    return null;
  }

  /** {@code Destinations}: an object of provider names to objects of string options. */
  private static Map<String, Map<String, String>> destinations(
      String name, JsonNode value, List<String> problems) {
    if (!value.isObject()) {
      problems.add(
          name
              + ": "
              + show(value)
              + " is not an object of provider names to options, such as {\"sftp\": {\"Host\": \"…\"}}");
      return null;
    }
    Map<String, Map<String, String>> providers = new LinkedHashMap<>();
    int before = problems.size();
    value
        .properties()
        .forEach(
            provider -> {
              String path = name + "." + provider.getKey();
              JsonNode options = provider.getValue();
              if (options.isNull()) {
                providers.put(provider.getKey(), Map.of());
                return;
              }
              if (!options.isObject()) {
                problems.add(
                    path
                        + ": "
                        + kindOf(options)
                        + " is not an object of option names to string values");
                return;
              }
              Map<String, String> strings = new LinkedHashMap<>();
              options
                  .properties()
                  .forEach(
                      option -> {
                        if (option.getValue().isTextual()) {
                          strings.put(option.getKey(), option.getValue().textValue());
                        } else {
                          // Option values may be secrets: name the kind of value, never the value.
                          problems.add(
                              path
                                  + "."
                                  + option.getKey()
                                  + ": "
                                  + kindOf(option.getValue())
                                  + " is not allowed; option values must be strings (write it in quotes)");
                        }
                      });
              providers.put(provider.getKey(), strings);
            });
    return problems.size() == before ? providers : null;
  }

  private static boolean isOptionsMap(Type type) {
    return type.getTypeName()
        .equals(
            "java.util.Map<java.lang.String, java.util.Map<"
                + "java.lang.String, java.lang.String>>");
  }

  private static String kindOf(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String show(JsonNode value) {
    String text = value.isTextual() ? "'" + value.textValue() + "'" : value.toString();
    return text.length() <= MAX_SHOWN_VALUE ? text : text.substring(0, MAX_SHOWN_VALUE) + "…";
  }
}
