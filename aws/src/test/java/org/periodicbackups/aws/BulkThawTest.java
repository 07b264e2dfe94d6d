package org.periodicbackups.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.ColdStorage.Availability;
import org.periodicbackups.api.destination.DestinationException;
import org.periodicbackups.api.destination.WaitListener;

/**
 * The order and the bookkeeping of a bulk thaw, against an archive whose retrievals finish after a
 * number of polls (what no emulator offers: moto restores at once).
 */
class BulkThawTest {
  private final List<String> calls = new ArrayList<>();
  private final List<WaitListener.Wait> reports = new ArrayList<>();
  private final Map<String, Availability> state = new HashMap<>();
  private final Map<String, Integer> pollsLeft = new HashMap<>();

  /** A retrieval of a file takes {@code polls} availability checks after its request. */
  private final BulkThaw.Store archive =
      new BulkThaw.Store() {
        @Override
        public Availability availability(String name) {
          calls.add("check " + name);
          if (state.get(name) == Availability.RESTORING) {
            int left = pollsLeft.merge(name, -1, Integer::sum);
            if (left < 0) {
              state.put(name, Availability.RESTORED);
            }
          }
          return state.get(name);
        }

        @Override
        public void request(String name) {
          calls.add("request " + name);
          state.put(name, Availability.RESTORING);
        }
      };

  private final Sleeper sleeper = d -> calls.add("sleep " + d.toSeconds());

  private BulkThaw.Waiting waiting(Duration maxWait) {
    return new BulkThaw.Waiting(
        "s3://b/p/", "Standard", "typically 3-5 hours", Duration.ofSeconds(30), maxWait, "X");
  }

  @Test
  @DisplayName("every retrieval is requested before the first wait; running ones are reused")
  void requestsAllAtOnceAndReusesRunningOnes() throws Exception {
    state.put("full", Availability.MUST_REQUEST);
    state.put("inc1", Availability.RESTORING); // requested by an earlier, interrupted restore
    state.put("inc2", Availability.READABLE);
    state.put("inc3", Availability.RESTORED);
    state.put("inc4", Availability.MUST_REQUEST);
    pollsLeft.put("full", 2);
    pollsLeft.put("inc1", 1);
    pollsLeft.put("inc4", 3);

    BulkThaw.thaw(
        List.of("full", "inc1", "inc2", "inc3", "inc4"),
        archive,
        waiting(Duration.ofHours(1)),
        sleeper,
        reports::add);

    int firstSleep = calls.indexOf("sleep 30");
    assertThat(calls.subList(0, firstSleep))
        .contains("request full", "request inc4")
        .doesNotContain("request inc1", "request inc2", "request inc3");
    assertThat(calls.stream().filter(c -> c.startsWith("request"))).hasSize(2);
    assertThat(state.values()).allMatch(a -> a != Availability.RESTORING);
    assertThat(calls.stream().filter(c -> c.startsWith("sleep")))
        .as("the three retrievals run side by side: as many polls as the slowest needs")
        .hasSize(3);
    assertThat(reports.get(0).what())
        .isEqualTo("the Standard retrievals of 3 file(s) from s3://b/p/, 0 of 3 readable");
    WaitListener.Wait last = reports.get(reports.size() - 1);
    assertThat(last.finished()).isTrue();
    assertThat(last.what()).endsWith("3 of 3 readable");
    assertThat(last.elapsed()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  @DisplayName("nothing to wait for: no request, no sleep, no report")
  void readableFilesNeedNothing() throws Exception {
    state.put("full", Availability.READABLE);
    state.put("inc", Availability.RESTORED);
    BulkThaw.thaw(
        List.of("full", "inc"), archive, waiting(Duration.ofHours(1)), sleeper, reports::add);
    assertThat(calls).containsExactly("check full", "check inc");
    assertThat(reports).isEmpty();
  }

  @Test
  @DisplayName(
      "past the wait, the error says how many still run and that a new restore reuses them")
  void timeoutNamesWhatIsStillRunning() {
    state.put("full", Availability.MUST_REQUEST);
    state.put("inc", Availability.MUST_REQUEST);
    pollsLeft.put("full", 0);
    pollsLeft.put("inc", 100);
    assertThatThrownBy(
            () ->
                BulkThaw.thaw(
                    List.of("full", "inc"),
                    archive,
                    waiting(Duration.ofSeconds(90)),
                    sleeper,
                    reports::add))
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining("s3://b/p/: 1 of 2 retrieval(s) (tier Standard, typically 3-5 hours)")
        .hasMessageContaining("such as inc")
        .hasMessageContaining("run the same restore again later (it reuses them")
        .hasMessageContaining("or raise X");
    assertThat(calls.stream().filter(c -> c.startsWith("request"))).hasSize(2);
  }

  @Test
  @DisplayName("a retrieval whose copy expired before it was read is requested again")
  void expiredCopyIsRequestedAgain() throws Exception {
    state.put("full", Availability.RESTORING);
    pollsLeft.put("full", 0);
    BulkThaw.Store expiring =
        new BulkThaw.Store() {
          private boolean expired;

          @Override
          public Availability availability(String name) throws java.io.IOException {
            if (!expired && calls.contains("sleep 30")) {
              expired = true;
              calls.add("check " + name);
              state.put(name, Availability.MUST_REQUEST);
              return Availability.MUST_REQUEST;
            }
            return archive.availability(name);
          }

          @Override
          public void request(String name) throws java.io.IOException {
            archive.request(name);
          }
        };
    state.put("full", Availability.RESTORING);
    pollsLeft.put("full", 5);
    BulkThaw.thaw(List.of("full"), expiring, waiting(Duration.ofHours(1)), sleeper, reports::add);
    assertThat(calls).contains("request full");
    assertThat(state.get("full")).isEqualTo(Availability.RESTORED);
  }
}
