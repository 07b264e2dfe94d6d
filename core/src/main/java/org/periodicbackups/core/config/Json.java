package org.periodicbackups.core.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import org.periodicbackups.api.model.BackupType;

/**
 * The one Jackson configuration of the project: {@code java.time} types as ISO-8601 strings ({@code
 * 2026-01-31T02:00:00Z}, never numeric timestamps), records through their {@code @JsonProperty}
 * names, {@link BackupType} as {@code Full} / {@code Incremental} (as in the dump header), and
 * unknown properties ignored (the setup parser checks them itself).
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(backupTypeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

  /**
   * The shared, thread-safe mapper. Do not reconfigure it; derive an {@link ObjectMapper#reader()}
   * or {@link ObjectMapper#writer()} with other options instead.
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static SimpleModule backupTypeModule() {
    SimpleModule module = new SimpleModule("pbk-backup-type");
    module.addSerializer(
        BackupType.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(BackupType type, JsonGenerator out, SerializerProvider provider)
              throws IOException {
            out.writeString(type.displayName());
          }
        });
    module.addDeserializer(
        BackupType.class,
        new JsonDeserializer<>() {
          @Override
          public BackupType deserialize(JsonParser in, DeserializationContext context)
              throws IOException {
            String text = in.getValueAsString();
            try {
              return BackupType.fromDisplayName(text);
            } catch (IllegalArgumentException e) {
              return (BackupType)
                  context.handleWeirdStringValue(
                      BackupType.class, text, "unknown backup type; known: Full, Incremental");
            }
          }
        });
    return module;
  }
}
