package org.periodicbackups.core.dump;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.periodicbackups.api.InvalidBackupException;

/**
 * The framing of a snapshot file's image (see {@link SnapshotFile}): written in frames of at most
 * {@link SnapshotFile#MAX_FRAME} bytes, and read back out of them, checked against the trailer.
 */
final class ImageFrames {
  private ImageFrames() {}

  /** Cuts what is written into frames of at most {@link SnapshotFile#MAX_FRAME} bytes. */
  static final class Framing extends OutputStream {
    private final DataOutputStream out;
    private final byte[] frame = new byte[SnapshotFile.MAX_FRAME];
    private int filled;
    long size;

    Framing(OutputStream out) {
      this.out = new DataOutputStream(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      while (length > 0) {
        int n = Math.min(length, frame.length - filled);
        System.arraycopy(bytes, offset, frame, filled, n);
        filled += n;
        offset += n;
        length -= n;
        if (filled == frame.length) {
          emit();
        }
      }
    }

    private void emit() throws IOException {
      if (filled > 0) {
        out.writeInt(filled);
        out.write(frame, 0, filled);
        size += filled;
        filled = 0;
      }
    }

    void end() throws IOException {
      emit();
      out.writeInt(0);
      out.flush();
    }

    @Override
    public void close() {
      // The image's writer does not end the file; end() does.
    }
  }

  /** The image out of its frames, checked against the trailer before its end is reported. */
  static final class Deframing extends InputStream {
    private final DataInputStream in;
    private final String fileName;
    private final MessageDigest sha256 = SnapshotFile.sha256();
    private int left; // bytes left in the current frame
    private long size;
    private boolean ended;
    SnapshotFile.Trailer trailer;

    Deframing(DataInputStream in, String fileName) {
      this.in = in;
      this.fileName = fileName;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** The first failure this stream raised, mapped to what names the file. */
    IOException failure;

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (failure != null) {
        throw failure;
      }
      try {
        return readFrames(bytes, offset, length);
      } catch (EOFException e) {
        failure = CompressedInput.truncated(fileName, e);
        throw failure;
      } catch (IOException e) {
        failure = CompressedInput.failure(e, fileName);
        throw failure;
      }
    }

    private int readFrames(byte[] bytes, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (left == 0 && !nextFrame()) {
        return -1;
      }
      int n = in.read(bytes, offset, Math.min(length, left));
      if (n < 0) {
        throw new EOFException("the file ends inside a frame of its image");
      }
      sha256.update(bytes, offset, n);
      left -= n;
      size += n;
      return n;
    }

    private boolean nextFrame() throws IOException {
      if (ended) {
        return false;
      }
      int length = in.readInt();
      if (length < 0 || length > SnapshotFile.MAX_FRAME) {
        throw new InvalidBackupException(
            fileName,
            "an image frame of "
                + Integer.toUnsignedString(length)
                + " bytes at image offset "
                + size
                + " (at most "
                + SnapshotFile.MAX_FRAME
                + "); the file is damaged");
      }
      if (length > 0) {
        left = length;
        return true;
      }
      ended = true;
      trailer = SnapshotFile.trailer(SnapshotFile.line(in, fileName, "trailer"), fileName);
      String actual = HexFormat.of().formatHex(sha256.digest());
      if (trailer.size() != size || !trailer.sha256().equals(actual)) {
        throw new InvalidBackupException(
            fileName,
            "its image is "
                + size
                + " bytes with SHA-256 "
                + actual
                + " but its trailer says "
                + trailer.size()
                + " bytes with SHA-256 "
                + trailer.sha256()
                + "; the file is damaged");
      }
      return false;
    }

    void drain() throws IOException {
      byte[] scratch = new byte[1 << 16];
      while (read(scratch, 0, scratch.length) >= 0) {
        // read for the checks
      }
    }
  }
}
