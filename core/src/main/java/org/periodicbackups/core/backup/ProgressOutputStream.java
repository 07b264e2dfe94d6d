package org.periodicbackups.core.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/** Passes bytes through and reports the running total about every MiB. */
final class ProgressOutputStream extends FilterOutputStream {
  private static final long STEP = 1 << 20;

  private final LongConsumer progress;
  private long written;
  private long reported;

  ProgressOutputStream(OutputStream out, LongConsumer progress) {
    super(out);
    this.progress = progress;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    advance(1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    out.write(bytes, offset, length);
    advance(length);
  }

  private void advance(long count) {
    written += count;
    if (written - reported >= STEP) {
      reported = written;
      progress.accept(written);
    }
  }
}
