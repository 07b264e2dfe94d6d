package org.periodicbackups.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.periodicbackups.api.model.Document;
import org.periodicbackups.api.source.RestoreBatch;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import org.periodicbackups.store.sqlite.SqliteStore;

/**
 * The embedded store's bulk insert: the {@value JmhDocuments#COUNT} documents of {@link
 * JmhDocuments} per operation, as new keys, into a database created for each iteration (so it grows
 * within an iteration as a restore's does), in batches of {@code batch} documents, through a write
 * batch ({@code write}, what the end-to-end benchmark's loader uses) or a restore batch ({@code
 * restore}, what a restore uses), and single-document puts ({@code singlePuts}: the first {@value
 * #SINGLE_PUTS} documents, one transaction each, as an application writes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StoreInsertBenchmark {
  @Param({"1000", "5000", "10000"})
  public int batch;

  private JmhDocuments data;
  private Path folder;
  private SqliteStore store;
  private SqliteDatabase db;
  private int round;

  @Setup(Level.Trial)
  public void setUp() {
    data = new JmhDocuments();
  }

  @Setup(Level.Iteration)
  public void openStore() throws IOException {
    folder = Files.createTempDirectory("pbk-jmh-store-");
    store = new SqliteStore(folder);
    db = store.create("bench", Map.of());
  }

  @TearDown(Level.Iteration)
  public void closeStore() throws IOException {
    store.close();
    E2EBenchmark.deleteTree(folder);
  }

  @Benchmark
  public int write() throws IOException {
    String prefix = "r" + round++ + "/";
    for (int first = 0; first < data.documents.size(); first += batch) {
      int from = first;
      db.write(
          tx -> {
            for (Document d :
                data.documents.subList(from, Math.min(from + batch, data.documents.size()))) {
              tx.putDocument(prefix + d.key(), d.metadataJson(), d.bodyJson());
            }
          });
    }
    return round;
  }

  /** Documents per operation of {@link #singlePuts}. */
  static final int SINGLE_PUTS = 1000;

  @Benchmark
  public int singlePuts() throws IOException {
    String prefix = "r" + round++ + "/";
    for (Document d : data.documents.subList(0, SINGLE_PUTS)) {
      db.putDocument(prefix + d.key(), d.metadataJson(), d.bodyJson());
    }
    return round;
  }

  @Benchmark
  public int restore() throws IOException {
    String prefix = "r" + round++ + "/";
    for (int first = 0; first < data.documents.size(); first += batch) {
      try (RestoreBatch restore = db.beginBatch()) {
        for (Document d :
            data.documents.subList(first, Math.min(first + batch, data.documents.size()))) {
          restore.putDocument(prefix + d.key(), d.metadataJson(), d.bodyJson());
        }
        restore.commit();
      }
    }
    return round;
  }
}
