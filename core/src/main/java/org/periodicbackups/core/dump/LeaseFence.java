package org.periodicbackups.core.dump;

import static java.util.Objects.requireNonNull;

/**
 * The {@code "Lease"} object of a version 3 header: the fencing token of the lease under which the
 * file was written, and who held it. Tokens grow with every change of holder, so of two files the
 * one with the lower token was written by a writer whose lease was taken over later
 * (docs/DESIGN.md, "One writer per chain").
 *
 * @param token {@code Token}: the fencing token, at least 1
 * @param holder {@code Holder}: the writer that held the lease, for reports (host and process)
 */
public record LeaseFence(long token, String holder) {
  /** Checks the fields. */
  public LeaseFence {
    if (token < 1) {
      throw new IllegalArgumentException("a lease token is at least 1 but was " + token);
    }
    requireNonNull(holder, "holder is null");
    if (holder.isBlank() || holder.length() > 500) {
      throw new IllegalArgumentException("a lease holder is 1 to 500 characters");
    }
  }
}
