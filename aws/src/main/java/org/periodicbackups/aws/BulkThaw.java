package org.periodicbackups.aws;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.periodicbackups.api.destination.ColdStorage.Availability;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.WaitListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes many cold files readable at once: requests the retrieval of every file that needs one (a
 * request already made is reused, so an interrupted restore started again pays nothing twice), then
 * polls the ones not yet readable until all are, or the wait is over. The retrievals run side by
 * side at AWS, so a chain of many files waits about as long as its slowest file, not as long as the
 * sum. Shared by the S3 archive storage classes and Glacier vaults.
 */
public final class BulkThaw {
  private static final Logger LOG = LoggerFactory.getLogger(BulkThaw.class);

  /** What the store offers for one file. */
  public interface Store {
    /** Where the file stands now (one metadata request). */
    Availability availability(String name) throws IOException;

    /** Requests a retrieval; a request already running is not an error. */
    void request(String name) throws IOException;
  }

  /**
   * How to wait.
   *
   * @param where the destination, for messages ({@code s3://bucket/prefix})
   * @param tier the retrieval tier, for messages ({@code Standard})
   * @param typical how long such retrievals usually take ({@code typically 3-5 hours})
   * @param poll how often to check
   * @param maxWait how long to wait at most
   * @param raiseWait the setting to raise when the wait is too short ({@code RestoreWaitMinutes})
   */
  public record Waiting(
      String where,
      String tier,
      String typical,
      Duration poll,
      Duration maxWait,
      String raiseWait) {}

  private BulkThaw() {}

  /** Makes every file of {@code names} readable; see the class comment. */
  public static void thaw(
      List<String> names, Store store, Waiting waiting, Sleeper sleeper, WaitListener waits)
      throws IOException {
    List<String> pending = new ArrayList<>();
    int requested = 0;
    int running = 0;
    for (String name : names) {
      switch (store.availability(name)) {
        case READABLE, RESTORED -> {}
        case RESTORING -> {
          running++;
          pending.add(name);
        }
        case MUST_REQUEST -> {
          store.request(name);
          requested++;
          pending.add(name);
        }
      }
    }
    if (pending.isEmpty()) {
      return;
    }
    int total = pending.size();
    LOG.info(
        "{}: requested {} retrieval(s) in tier {}, reused {} already running; {} of {} file(s)"
            + " readable now",
        waiting.where(),
        requested,
        waiting.tier(),
        running,
        names.size() - total,
        names.size());
    WaitReporter wait =
        new WaitReporter(waits, sleeper, describe(waiting, total, 0), waiting.typical());
    while (true) {
      List<String> still = new ArrayList<>();
      for (String name : pending) {
        Availability now = store.availability(name);
        if (now == Availability.MUST_REQUEST) {
          store.request(name); // an earlier request ended or expired before it was read
          still.add(name);
        } else if (now == Availability.RESTORING) {
          still.add(name);
        }
      }
      pending = still;
      if (pending.isEmpty()) {
        wait.describe(describe(waiting, total, total));
        wait.finished();
        LOG.info(
            "{}: all {} retrieval(s) done after about {} s",
            waiting.where(),
            total,
            wait.waited().toSeconds());
        return;
      }
      wait.describe(describe(waiting, total, total - pending.size()));
      if (wait.waited().plus(waiting.poll()).compareTo(waiting.maxWait()) > 0) {
        throw new DestinationException(
            waiting.where()
                + ": "
                + pending.size()
                + " of "
                + total
                + " retrieval(s) (tier "
                + waiting.tier()
                + ", "
                + waiting.typical()
                + ") are not done after "
                + wait.waited().toSeconds()
                + " s, such as "
                + pending.get(0)
                + "; they keep running at AWS: run the same restore again later (it reuses them"
                + " and pays nothing twice), or raise "
                + waiting.raiseWait());
      }
      try {
        wait.sleep(waiting.poll());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(
            "interrupted while waiting for retrievals from "
                + waiting.where()
                + "; they keep running, and a restore started again reuses them");
      }
    }
  }

  private static String describe(Waiting waiting, int total, int done) {
    return "the "
        + waiting.tier()
        + " retrievals of "
        + total
        + " file(s) from "
        + waiting.where()
        + ", "
        + done
        + " of "
        + total
        + " readable";
  }
}
