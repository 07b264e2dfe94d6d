package org.periodicbackups.api.source;

import java.io.IOException;
import java.io.InputStream;
import org.periodicbackups.api.model.AttachmentInfo;

/** Receives one attachment of a streamed sequence together with its content. */
@FunctionalInterface
public interface AttachmentConsumer {
  /**
   * Receives one attachment.
   *
   * @param info the attachment's key, etag, metadata and size
   * @param content its bytes; valid only during this call, closed by the caller afterwards
   */
  void accept(AttachmentInfo info, InputStream content) throws IOException;
}
