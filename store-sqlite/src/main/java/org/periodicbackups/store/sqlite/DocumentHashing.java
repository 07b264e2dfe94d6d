package org.periodicbackups.store.sqlite;

import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.periodicbackups.api.source.ContentDigest;

/**
 * The item hashes of the documents one write transaction puts, computed on hashing threads in
 * chunks of {@value #CHUNK} while the writer thread goes on inserting rows, and added to the
 * transaction's content before it commits: a bulk insert's writer thread pays for its rows, not for
 * SHA-256 (see "Proof of recovery" in docs/DESIGN.md). A last chunk that is not full, every chunk
 * on a machine of one core, and every chunk while {@value #MAX_PENDING} are still being hashed are
 * hashed on the writer thread, so the documents held for hashing stay bounded and a transaction of
 * a few puts pays no hand-over. Used by one writer thread.
 */
final class DocumentHashing {
  static final int CHUNK = 256;
  static final int MAX_PENDING = 8;

  private static final ExecutorService THREADS = hashingThreads();

  private final ContentDigest.Sum content;
  private final ArrayDeque<Future<byte[][]>> pending = new ArrayDeque<>();
  private String[] chunk = new String[CHUNK * 3];
  private int size;

  /** Hashes into {@code content}, which only the writer thread touches. */
  DocumentHashing(ContentDigest.Sum content) {
    this.content = content;
  }

  /** Adds a document version to the content, now or before {@link #finish()} returns. */
  void add(String key, String metadataJson, String bodyJson) throws InterruptedIOException {
    chunk[3 * size] = key;
    chunk[3 * size + 1] = metadataJson;
    chunk[3 * size + 2] = bodyJson;
    if (++size == CHUNK) {
      handOver();
    }
  }

  /** Adds every document given to {@link #add} to the content. */
  void finish() throws InterruptedIOException {
    addAll(hash(chunk, size));
    size = 0;
    while (!pending.isEmpty()) {
      addAll(result(pending.removeFirst()));
    }
  }

  private void handOver() throws InterruptedIOException {
    while (!pending.isEmpty() && pending.peekFirst().isDone()) {
      addAll(result(pending.removeFirst()));
    }
    String[] full = chunk;
    int count = size;
    chunk = new String[CHUNK * 3];
    size = 0;
    if (THREADS == null || pending.size() >= MAX_PENDING) {
      addAll(hash(full, count));
    } else {
      pending.addLast(THREADS.submit(() -> hash(full, count)));
    }
  }

  private void addAll(byte[][] hashes) {
    for (byte[] hash : hashes) {
      content.addDocument(hash);
    }
  }

  private static byte[][] hash(String[] documents, int count) {
    byte[][] hashes = new byte[count][];
    for (int i = 0; i < count; i++) {
      hashes[i] =
          ContentDigest.documentHash(documents[3 * i], documents[3 * i + 1], documents[3 * i + 2]);
    }
    return hashes;
  }

  private static byte[][] result(Future<byte[][]> hashes) throws InterruptedIOException {
    try {
      return hashes.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while hashing the documents of the batch");
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      throw rethrown(e);
    }
  }

  private static RuntimeException rethrown(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("hashing the documents of the batch failed", cause);
  }

  /** All but one core, shared by every database; none on one core. Idle threads end. */
  private static ExecutorService hashingThreads() {
    int threads = Runtime.getRuntime().availableProcessors() - 1;
    if (threads < 1) {
      return null;
    }
    AtomicInteger numbers = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "pbk-content-hash-" + numbers.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
