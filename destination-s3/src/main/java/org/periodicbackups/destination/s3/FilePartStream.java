package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads one part of a file straight from disk, so that a part is never held in memory and a retried
 * request simply opens a new stream. Fails loudly when the file ends before the part does (the file
 * shrank during the upload) instead of letting the request send too few bytes.
 */
final class FilePartStream extends InputStream {
  private final FileChannel channel;
  private final Path file;
  private final int partNumber;
  private long position;
  private long remaining;

  FilePartStream(Path file, int partNumber, long offset, long length) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.file = file;
    this.partNumber = partNumber;
    this.position = offset;
    this.remaining = length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (remaining == 0) {
      return -1;
    }
    if (length == 0) {
      return 0;
    }
    int read =
        channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, remaining)), position);
    if (read < 0) {
      throw new IOException(
          "file "
              + file
              + " ended "
              + remaining
              + " bytes before the end of"
              + " part "
              + partNumber
              + ": it shrank while it was being uploaded");
    }
    position += read;
    remaining -= read;
    return read;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, remaining);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
