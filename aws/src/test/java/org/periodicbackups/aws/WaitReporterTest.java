package org.periodicbackups.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.periodicbackups.api.destination.WaitListener;

class WaitReporterTest {
  private final List<Duration> sleeps = new ArrayList<>();
  private final List<WaitListener.Wait> reports = new ArrayList<>();

  private WaitReporter reporter() {
    return new WaitReporter(reports::add, sleeps::add, "the job j", "typically 3-5 hours");
  }

  @Test
  void reportsAtTheStartEveryThirtySecondsOfWaitingAndAtTheEnd() throws InterruptedException {
    WaitReporter wait = reporter();
    wait.sleep(Duration.ofSeconds(75));
    wait.sleep(Duration.ofSeconds(75));
    wait.finished();

    assertThat(reports)
        .extracting(r -> r.elapsed().toSeconds())
        .containsExactly(0L, 30L, 60L, 90L, 120L, 150L, 150L);
    assertThat(reports).extracting(WaitListener.Wait::finished).last().isEqualTo(true);
    assertThat(reports).extracting(WaitListener.Wait::what).containsOnly("the job j");
    assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(30)));
    assertThat(sleeps.stream().mapToLong(Duration::toMillis).sum()).isEqualTo(150_000);
    assertThat(wait.waited()).isEqualTo(Duration.ofSeconds(150));
  }

  @Test
  void shortPollsAreNotReportedOneByOne() throws InterruptedException {
    WaitReporter wait = reporter();
    for (int i = 0; i < 100; i++) {
      wait.sleep(Duration.ofMillis(200));
    }
    wait.finished();

    assertThat(reports).extracting(r -> r.elapsed().toMillis()).containsExactly(0L, 20_000L);
  }

  @Test
  void aFailingListenerDoesNotFailTheWait() throws InterruptedException {
    WaitReporter wait =
        new WaitReporter(
            w -> {
              throw new IllegalStateException("listener bug");
            },
            sleeps::add,
            "the job j",
            "soon");
    wait.sleep(Duration.ofMinutes(2));
    wait.finished();

    assertThat(wait.waited()).isEqualTo(Duration.ofMinutes(2));
  }
}
