package org.periodicbackups.store.sqlite;

import java.io.IOException;
import java.io.OutputStream;
import org.periodicbackups.api.source.RestoreBatch;

/**
 * A restore batch: one write transaction that holds the database's write lock from {@link
 * SqliteDatabase#beginBatch()} until {@link #commit()} or {@link #close()}. It is used, committed
 * and closed by the thread that began it. Items get this database's own new etags.
 */
final class SqliteRestoreBatch implements RestoreBatch {
  private final SqliteDatabase database;
  private final WriterConnection writer;
  private final WriteTransaction transaction;
  private boolean locked = true;

  SqliteRestoreBatch(
      SqliteDatabase database, WriterConnection writer, WriteTransaction transaction) {
    this.database = database;
    this.writer = writer;
    this.transaction = transaction;
  }

  @Override
  public void putDocument(String key, String metadataJson, String bodyJson) throws IOException {
    transaction.putDocument(key, metadataJson, bodyJson);
  }

  @Override
  public OutputStream putAttachment(String key, String metadataJson) throws IOException {
    return transaction.startAttachmentStream(key, metadataJson);
  }

  @Override
  public void deleteDocument(String key) throws IOException {
    transaction.deleteDocument(key);
  }

  @Override
  public void deleteAttachment(String key) throws IOException {
    transaction.deleteAttachment(key);
  }

  @Override
  public void commit() throws IOException {
    transaction.commit();
    unlock();
    database.notifyListeners(transaction.events());
  }

  @Override
  public void close() throws IOException {
    try {
      transaction.rollback();
    } finally {
      unlock();
    }
  }

  private void unlock() {
    if (locked) {
      locked = false;
      writer.unlock();
    }
  }
}
