package org.periodicbackups.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The peak heap and peak resident memory of one phase. Heap: the larger of a 5 ms sampler of {@code
 * MemoryMXBean} and the heap in use just before each garbage collection (GC notifications), so a
 * peak between two samples is still seen. RSS: {@code VmHWM} of {@code /proc/self/status}, reset at
 * the start of each phase through {@code /proc/self/clear_refs} where the kernel allows it.
 */
final class MemoryWatch implements AutoCloseable {
  private final AtomicLong peakHeap = new AtomicLong();
  private final Thread sampler;
  private final NotificationListener gcListener;
  private volatile boolean running = true;
  private long cpuStart;
  boolean rssReset;

  MemoryWatch() {
    Set<String> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    gcListener =
        (notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
              notification.getType())) {
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            // The map also holds non-heap pools (metaspace, code cache): count heap pools only.
            long used =
                info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
                    .filter(e -> heapPools.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed())
                    .sum();
            peakHeap.accumulateAndGet(used, Math::max);
          }
        };
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(gcListener, null, null);
    }
    sampler =
        new Thread(
            () -> {
              while (running) {
                sample();
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "memory-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts a new phase: forgets the peaks seen so far. */
  void reset() {
    System.gc(); // so that garbage of the previous phase does not count in this one
    peakHeap.set(0);
    sample();
    cpuStart = cpuNanos();
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      rssReset = true;
    } catch (IOException | SecurityException e) {
      rssReset = false;
    }
  }

  /** The peak heap in use since {@link #reset()}, bytes. */
  long peakHeap() {
    sample();
    return peakHeap.get();
  }

  /** CPU seconds this process used (all threads) since {@link #reset()}. */
  double cpuSeconds() {
    return (cpuNanos() - cpuStart) / 1e9;
  }

  /** The 1-minute load average of the machine: other processes share these cores. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The peak resident set since {@link #reset()} (or since the start), bytes; -1 if unknown. */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private void sample() {
    peakHeap.accumulateAndGet(
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      try {
        ((NotificationEmitter) gc).removeNotificationListener(gcListener);
      } catch (javax.management.ListenerNotFoundException e) {
        // never added to this one
      }
    }
  }
}
