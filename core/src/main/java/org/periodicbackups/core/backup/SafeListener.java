package org.periodicbackups.core.backup;

import org.periodicbackups.api.config.BackupRecord;
import org.periodicbackups.api.model.BackupType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a listener and logs, instead of propagating, anything it throws. */
final class SafeListener implements BackupListener {
  private static final Logger log = LoggerFactory.getLogger(SafeListener.class);

  private final BackupListener delegate;

  SafeListener(BackupListener delegate) {
    this.delegate = delegate;
  }

  private void call(String event, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn(
          "backup listener {} failed on {}: {}",
          delegate.getClass().getName(),
          event,
          e.toString());
    }
  }

  @Override
  public void started(String database, BackupType type) {
    call("started", () -> delegate.started(database, type));
  }

  @Override
  public void exported(String database, long bytes) {
    call("exported", () -> delegate.exported(database, bytes));
  }

  @Override
  public void succeeded(String database, BackupRecord backup) {
    call("succeeded", () -> delegate.succeeded(database, backup));
  }

  @Override
  public void compacted(String database, int written, int removed, int requests) {
    call("compacted", () -> delegate.compacted(database, written, removed, requests));
  }

  @Override
  public void nothingChanged(String database) {
    call("nothingChanged", () -> delegate.nothingChanged(database));
  }

  @Override
  public void failed(String database, Exception failure) {
    call("failed", () -> delegate.failed(database, failure));
  }
}
