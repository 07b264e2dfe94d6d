package org.periodicbackups.destination.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import org.periodicbackups.api.destination.DestinationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The body of a GET that survives a connection failing part-way (reset, timeout, body cut short):
 * the SDK retries a request only until its answer starts, so this stream asks again for the rest,
 * from the byte it reached, of the same object version ({@code If-Match} its ETag). A read is
 * resumed at most {@code maxAttempts - 1} times; then it fails naming the file, the key and how far
 * it got.
 */
final class ResumingObjectStream extends InputStream {
  private static final Logger LOG = LoggerFactory.getLogger(ResumingObjectStream.class);

  /** Sends a ranged GET: bytes {@code from} to the end, of the version {@code etag}. */
  @FunctionalInterface
  interface RangeReader {
    ResponseInputStream<GetObjectResponse> read(long from, String etag);
  }

  private final String name;
  private final String where;
  private final RangeReader reader;
  private final S3Errors errors;
  private final String key;
  private final String etag;
  private final long length;
  private ResponseInputStream<GetObjectResponse> current;
  private long position;
  private int resumesLeft;

  ResumingObjectStream(
      ResponseInputStream<GetObjectResponse> first,
      String name,
      String key,
      String where,
      int maxAttempts,
      RangeReader reader,
      S3Errors errors) {
    this.current = first;
    this.name = name;
    this.key = key;
    this.where = where;
    this.reader = reader;
    this.errors = errors;
    this.etag = first.response().eTag();
    Long contentLength = first.response().contentLength();
    this.length = contentLength == null ? -1 : contentLength;
    this.resumesLeft = etag == null || length < 0 ? 0 : maxAttempts - 1;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int count) throws IOException {
    while (true) {
      try {
        int n = current.read(buffer, offset, count);
        if (n > 0) {
          position += n;
        } else if (n < 0 && length >= 0 && position < length) {
          throw new IOException("the body ended at byte " + position + " of " + length);
        }
        return n;
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()
            || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException))) {
          throw e; // the reader was interrupted: stop, do not resume
        }
        resume(e);
      }
    }
  }

  private void resume(IOException failure) throws IOException {
    current.abort(); // the connection is broken: never return it to the pool
    if (resumesLeft == 0) {
      throw new DestinationException(
          "reading "
              + name
              + " ("
              + where
              + ") failed after "
              + position
              + " of "
              + length
              + " bytes: "
              + failure.getMessage()
              + (etag == null
                  ? ""
                  : "; gave up after the read was resumed as often as MaxAttempts" + " allows"),
          failure);
    }
    resumesLeft--;
    LOG.warn(
        "reading {} ({}) failed after {} of {} bytes ({}); resuming from there",
        name,
        where,
        position,
        length,
        failure.toString());
    try {
      current = reader.read(position, etag);
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        throw new DestinationException(
            name + " (" + where + ") was replaced while it was" + " read; read it again", e);
      }
      throw errors.translate("resumed read", name, key, e);
    } catch (SdkException e) {
      throw errors.translate("resumed read", name, key, e);
    }
  }

  @Override
  public int available() throws IOException {
    return current.available();
  }

  /**
   * Closes the stream. Before the end, the request is aborted rather than drained (closing drains
   * the rest of the body to reuse the connection: a whole backup file read only for its header, and
   * a failure of its own when the connection breaks meanwhile).
   */
  @Override
  public void close() throws IOException {
    if (length >= 0 && position < length) {
      current.abort();
      try {
        current.close();
      } catch (IOException e) {
        LOG.debug("closing the aborted read of {} ({}): {}", name, where, e.toString());
      }
      return;
    }
    current.close();
  }
}
