package org.periodicbackups.api.source;

import java.io.IOException;

/**
 * Receives one item of a streamed sequence and may fail with an {@link IOException}, which stops
 * the stream and propagates to the caller.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface IoConsumer<T> {
  /** Receives one item. */
  void accept(T item) throws IOException;
}
