package org.periodicbackups.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.periodicbackups.api.ConfigurationException;

/**
 * The JSON fields of a record, read from its components and their {@link JsonProperty} annotations,
 * so that a field added to the record is known to the parser without any list to update. Builds the
 * record through its canonical constructor.
 */
final class RecordFields<R extends Record> {

  /** One field: its JSON name, its Java type and its position in the canonical constructor. */
  record Field(String jsonName, Class<?> type, Type genericType, int position) {}

  private final Class<R> recordType;
  private final Map<String, Field> fields = new LinkedHashMap<>();
  private final Constructor<R> constructor;

  RecordFields(Class<R> recordType) {
    this.recordType = recordType;
    RecordComponent[] components = recordType.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      types[i] = component.getType();
      // @JsonProperty cannot target record components; the compiler copies it to the accessor.
      JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
      String name =
          property != null && !property.value().isEmpty() ? property.value() : component.getName();
      fields.put(name, new Field(name, component.getType(), component.getGenericType(), i));
    }
    try {
      constructor = recordType.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("a record always has a canonical constructor", e);
    }
  }

  /** The JSON names and fields, in the record's order. */
  Map<String, Field> byName() {
    return fields;
  }

  /**
   * Builds the record from {@code values} (one per field, null for absent); absent primitives get
   * their default (false, 0). Problems the constructor reports as a {@link ConfigurationException}
   * or an {@link IllegalArgumentException} are added to {@code problems} and null is returned.
   */
  R create(Object[] values, List<String> problems) {
    Object[] args = values.clone();
    for (Field field : fields.values()) {
      if (args[field.position()] == null && field.type().isPrimitive()) {
        args[field.position()] = Array.get(Array.newInstance(field.type(), 1), 0);
      }
    }
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigurationException configuration) {
        problems.addAll(configuration.problems());
      } else if (cause instanceof IllegalArgumentException
          || cause instanceof NullPointerException) {
        problems.add(cause.getMessage());
      } else if (cause instanceof RuntimeException runtime) {
        throw runtime;
      } else {
        throw new IllegalStateException(recordType.getSimpleName() + " failed", cause);
      }
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot call the constructor of " + recordType, e);
    }
  }

  /** The field names, in the record's order. */
  List<String> names() {
    return new ArrayList<>(fields.keySet());
  }
}
