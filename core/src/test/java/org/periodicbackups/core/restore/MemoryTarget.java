package org.periodicbackups.core.restore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.periodicbackups.api.source.RestoreBatch;
import org.periodicbackups.api.source.RestoreTarget;

/**
 * A restore target in memory: batches are staged and applied on commit, as the contract says;
 * counts batches and commits so that tests can prove nothing was written.
 */
final class MemoryTarget implements RestoreTarget {
  /** Key → metadata + "|" + body. */
  final Map<String, String> documents = new TreeMap<>();

  /** Key → metadata + "|" + content as hex. */
  final Map<String, String> attachments = new TreeMap<>();

  int batchesBegun;
  int commits;
  int rollbacks;

  @Override
  public String databaseName() {
    return "restored";
  }

  @Override
  public RestoreBatch beginBatch() {
    batchesBegun++;
    return new Batch();
  }

  /** The state, for comparing whole databases. */
  Map<String, Map<String, String>> state() {
    return Map.of("documents", Map.copyOf(documents), "attachments", Map.copyOf(attachments));
  }

  private final class Batch implements RestoreBatch {
    private final List<Runnable> writes = new ArrayList<>();
    private boolean committed;
    private boolean attachmentOpen;

    @Override
    public void putDocument(String key, String metadataJson, String bodyJson) {
      checkNoOpenAttachment();
      writes.add(() -> documents.put(key, metadataJson + "|" + bodyJson));
    }

    @Override
    public OutputStream putAttachment(String key, String metadataJson) {
      checkNoOpenAttachment();
      attachmentOpen = true;
      return new ByteArrayOutputStream() {
        @Override
        public void close() {
          attachmentOpen = false;
          String value = metadataJson + "|" + java.util.HexFormat.of().formatHex(toByteArray());
          writes.add(() -> attachments.put(key, value));
        }
      };
    }

    @Override
    public void deleteDocument(String key) {
      checkNoOpenAttachment();
      writes.add(() -> documents.remove(key));
    }

    @Override
    public void deleteAttachment(String key) {
      checkNoOpenAttachment();
      writes.add(() -> attachments.remove(key));
    }

    @Override
    public void commit() throws IOException {
      checkNoOpenAttachment();
      writes.forEach(Runnable::run);
      writes.clear();
      committed = true;
      commits++;
    }

    @Override
    public void close() {
      if (!committed) {
        rollbacks++;
      }
    }

    private void checkNoOpenAttachment() {
      if (attachmentOpen) {
        throw new IllegalStateException("an attachment stream is still open");
      }
    }
  }
}
