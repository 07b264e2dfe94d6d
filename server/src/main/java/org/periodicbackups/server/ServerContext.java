package org.periodicbackups.server;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;
import org.periodicbackups.core.backup.BackupEngine;
import org.periodicbackups.core.destination.DestinationResolver;
import org.periodicbackups.core.scheduler.BundleActivation;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * What the server works on: the store, the engine for "back up now", the resolver that says where
 * files go, the bundle activation (global settings), the daemon's events and, when the daemon keeps
 * metrics, their Prometheus text for {@code GET /metrics} (null: no metrics).
 */
public record ServerContext(
    SqliteStore store,
    BackupEngine engine,
    DestinationResolver resolver,
    BundleActivation activation,
    DatabaseEvents events,
    Supplier<String> metrics) {
  /** Checks that nothing is missing. */
  public ServerContext {
    requireNonNull(store, "store is null");
    requireNonNull(engine, "engine is null");
    requireNonNull(resolver, "resolver is null");
    requireNonNull(activation, "activation is null");
    requireNonNull(events, "events is null");
  }

  /** A context without metrics. */
  public ServerContext(
      SqliteStore store,
      BackupEngine engine,
      DestinationResolver resolver,
      BundleActivation activation,
      DatabaseEvents events) {
    this(store, engine, resolver, activation, events, null);
  }
}
