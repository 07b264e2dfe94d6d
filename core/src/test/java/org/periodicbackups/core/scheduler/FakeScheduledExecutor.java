package org.periodicbackups.core.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.periodicbackups.testing.TestClock;

/**
 * A deterministic {@link ScheduledExecutorService}: nothing runs until the test calls {@link
 * #advance}, which moves the {@link TestClock} from one due task to the next and runs each on the
 * calling thread, in due-time order (then submission order). No real waiting.
 *
 * <p>Thread-safe: a task blocked on one thread does not stop another thread from advancing.
 */
final class FakeScheduledExecutor extends AbstractExecutorService
    implements ScheduledExecutorService {
  private final TestClock clock;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long sequence;
  private boolean shutdown;

  FakeScheduledExecutor(TestClock clock) {
    this.clock = clock;
  }

  /** Moves time forward by {@code duration}, running every task that becomes due on the way. */
  void advance(Duration duration) {
    Instant target = clock.instant().plus(duration);
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due.isAfter(target)) {
          break;
        }
        queue.poll();
      }
      clock.moveTo(next.due);
      next.run();
    }
    clock.moveTo(target);
  }

  /** Runs what is due now, without moving time. */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** How many tasks wait (cancelled ones included until their time comes). */
  synchronized int pendingTasks() {
    return (int) queue.stream().filter(task -> !task.isCancelled()).count();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task task =
        new Task(command, clock.instant().plusNanos(unit.toNanos(Math.max(0, delay))), sequence++);
    queue.add(task);
    return task;
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by the scheduler");
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by the scheduler");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by the scheduler");
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    queue.clear();
    return List.of();
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  private final class Task implements ScheduledFuture<Object> {
    private final Runnable command;
    private final Instant due;
    private final long order;
    private volatile boolean cancelled;
    private volatile boolean done;

    Task(Runnable command, Instant due, long order) {
      this.command = command;
      this.due = due;
      this.order = order;
    }

    void run() {
      if (!cancelled) {
        try {
          command.run();
        } finally {
          done = true;
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due));
    }

    @Override
    public int compareTo(Delayed other) {
      Task task = (Task) other;
      int byTime = due.compareTo(task.due);
      return byTime != 0 ? byTime : Long.compare(order, task.order);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return !done;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("not needed by the scheduler");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("not needed by the scheduler");
    }
  }
}
