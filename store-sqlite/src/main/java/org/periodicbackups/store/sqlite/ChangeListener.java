package org.periodicbackups.store.sqlite;

/**
 * Told about every write after its transaction committed, on the writing thread, in etag order. A
 * listener should be quick (hand work to another thread); an exception it throws is logged and does
 * not fail the write.
 */
@FunctionalInterface
public interface ChangeListener {
  /** Receives one committed write. */
  void onChange(ChangeEvent event);
}
