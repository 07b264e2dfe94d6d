package org.periodicbackups.core.dump;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Carries a {@link DumpVisitor}'s IOException past the handlers that classify file problems: the
 * visitor's failures are its own and must not pass for a damaged file. {@link DumpReader} throws
 * the cause unchanged.
 */
final class VisitorFailure extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  VisitorFailure(IOException cause) {
    super(cause);
  }
}
