package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import org.periodicbackups.api.InvalidBackupException;
import org.periodicbackups.api.model.Document;

/**
 * Reads a dump file (format versions {@value DumpHeader#OLDEST_FORMAT_VERSION} to {@value
 * DumpHeader#NEWEST_FORMAT_VERSION}) in one streaming pass and hands its entries to a {@link
 * DumpVisitor} in file order: header, {@code Docs}, {@code Attachments}, {@code DocsDeletions},
 * {@code AttachmentsDeletions}. Memory stays constant whatever the file size: attachment data is
 * decoded while it is parsed. As on the writer side, the bytes and the JSON are read by parts of
 * their own: {@code CompressedInput} (encryption envelope, codec, decompression), {@code
 * DumpHeaderReader} and {@code DumpSectionReader}.
 *
 * <p>Anything that makes the file untrustworthy is an {@link InvalidBackupException} naming the
 * file: neither gzip nor zstd, corrupt or truncated compressed data, a header whose {@code Codec}
 * is not the file's compression, JSON that is not UTF-8, invalid JSON (with its position), a
 * missing, unknown or misplaced section or field, another format version or codec, an entry whose
 * etag is outside the header's range or whose key or JSON text is beyond the limits of {@link
 * Document}, an attachment whose data does not match its {@code Size}, data after the JSON object;
 * for an encrypted file also a key not offered and encrypted data that does not authenticate (see
 * {@link #read(InputStream, String, EncryptionKeys, DumpVisitor)}). Failures of the input stream
 * itself and of the visitor propagate unchanged. The visitor may already have received entries when
 * a problem is found, so callers that change something verify the whole file first.
 */
public final class DumpReader {

  private DumpReader() {}

  /**
   * Parses the whole of {@code in} (compressed dump bytes, gzip or zstd), calling {@code visitor}
   * for each part in file order. Does not close {@code in}.
   *
   * @param fileName the file's name, for messages
   * @return the header
   * @throws InvalidBackupException naming {@code fileName} if the file is not a valid dump
   */
  public static DumpHeader read(InputStream in, String fileName, DumpVisitor visitor)
      throws IOException {
    return read(in, fileName, EncryptionKeys.none(), visitor);
  }

  /**
   * Parses the whole of {@code in} as {@link #read(InputStream, String, DumpVisitor)} does; an
   * encrypted file is decrypted with the key of {@code keys} whose key id its envelope names, and
   * read to its authenticated end.
   *
   * @throws InvalidBackupException naming {@code fileName} if the file is not a valid dump, is
   *     encrypted with a key not offered, or its encrypted data does not authenticate (damaged,
   *     truncated, extended or tampered with)
   */
  public static DumpHeader read(
      InputStream in, String fileName, EncryptionKeys keys, DumpVisitor visitor)
      throws IOException {
    requireNonNull(visitor, "visitor is null");
    return parse(in, fileName, keys, visitor, false);
  }

  /**
   * Reads only the header at the start of {@code in}: cheap, whatever the file size. Does not check
   * the rest of the file. Does not close {@code in}.
   */
  public static DumpHeader readHeader(InputStream in, String fileName) throws IOException {
    return readHeader(in, fileName, EncryptionKeys.none());
  }

  /** Reads only the header, decrypting with {@code keys} if the file is encrypted. */
  public static DumpHeader readHeader(InputStream in, String fileName, EncryptionKeys keys)
      throws IOException {
    return parse(in, fileName, keys, new DumpVisitor() {}, true);
  }

  private static DumpHeader parse(
      InputStream in, String fileName, EncryptionKeys keys, DumpVisitor visitor, boolean headerOnly)
      throws IOException {
    requireNonNull(in, "in is null");
    requireNonNull(fileName, "fileName is null");
    requireNonNull(keys, "keys is null");
    JsonParser json = null;
    CompressedInput input = null;
    ReadAhead ahead = null;
    try {
      input = CompressedInput.open(in, fileName, keys);
      // Reading, decrypting and decompressing on one core, parsing and the visitor on another.
      ahead = headerOnly ? null : ReadAhead.of(input.stream(), fileName);
      RetainingInputStream tape = new RetainingInputStream(ahead == null ? input.stream() : ahead);
      json = DumpJson.FACTORY.createParser(tape);
      DumpHeader header = new DumpHeaderReader(json, fileName, input.codec(), input.keyId()).read();
      if (header.isImage() && !headerOnly) {
        throw new InvalidBackupException(
            fileName,
            "it is a snapshot file holding an image of "
                + header.image()
                + ", not a logical dump; a snapshot chain restores only into a new database"
                + " (pbk smuggler in <data-dir> <backup folder> --incremental)");
      }
      try {
        visitor.header(header);
      } catch (IOException e) {
        throw new VisitorFailure(e);
      }
      if (!headerOnly) {
        new DumpSectionReader(json, tape, fileName, header, visitor).read();
        ahead.finish();
        input.requireAuthenticatedEnd();
      }
      return header;
    } catch (VisitorFailure e) {
      throw e.getCause();
    } catch (JsonEOFException e) {
      throw CompressedInput.truncated(fileName, e);
    } catch (StreamConstraintsException e) {
      throw new InvalidBackupException(
          fileName,
          "it goes beyond the reader's limits ("
              + e.getOriginalMessage()
              + "); no backup written by this software does, so the file"
              + " is damaged or hostile",
          e);
    } catch (StreamReadException e) {
      throw new InvalidBackupException(
          fileName,
          "invalid JSON "
              + DumpPartReader.at(e.getLocation())
              + ": "
              + e.getOriginalMessage()
              + "; the file is damaged or was not written by a backup",
          e);
    } catch (CharConversionException e) {
      // Jackson guesses UTF-16/32 from the first bytes and fails on such text as plain I/O.
      throw new InvalidBackupException(
          fileName,
          "the decompressed data is not UTF-8 JSON ("
              + e.getMessage()
              + "); the file is damaged or was not written by a backup",
          e);
    } catch (IOException e) {
      throw CompressedInput.failure(e, fileName);
    } finally {
      if (ahead != null) {
        ahead.close();
      }
      if (json != null) {
        json.close();
      }
      if (input != null) {
        input.close();
      }
    }
  }
}
