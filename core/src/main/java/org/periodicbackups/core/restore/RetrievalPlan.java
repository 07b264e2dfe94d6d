package org.periodicbackups.core.restore;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.periodicbackups.api.destination.BackupDestination;
import org.periodicbackups.api.destination.ColdStorage;
import org.periodicbackups.api.destination.ColdStorage.Availability;
import org.periodicbackups.api.destination.ColdStorage.FileState;

/**
 * What a restore of a {@link RestorePlan} will take before it starts: each file's size, storage
 * class and whether it is readable now, already restored, being restored or must be requested; the
 * wait and the cost of the retrievals per tier; the cost of reading the rest. Built from listings
 * and metadata only ({@link ColdStorage#states}): no backup data is read and nothing is requested.
 *
 * @param plan the files the restore reads
 * @param states one per file of the plan, in order
 * @param prices the price table the costs come from
 * @param tier the tier the destination requests in, or null if it needs no retrievals
 */
public record RetrievalPlan(
    RestorePlan plan, List<FileState> states, RetrievalPrices prices, String tier) {

  /** The retrieval tiers, fastest first. */
  public static final List<String> TIERS = List.of("Expedited", "Standard", "Bulk");

  public RetrievalPlan {
    requireNonNull(plan, "plan is null");
    states = List.copyOf(states);
    requireNonNull(prices, "prices is null");
  }

  /**
   * One way to get the files that must be requested.
   *
   * @param tier {@code Expedited}, {@code Standard} or {@code Bulk}
   * @param typicalWait how long it usually takes, for the slowest class among the files
   * @param cost its estimated cost, or empty when a class does not offer the tier
   * @param notOfferedBy the storage classes that do not offer it (empty when all do)
   */
  public record TierEstimate(
      String tier, String typicalWait, Optional<Double> cost, Set<String> notOfferedBy) {}

  /** The plan of restoring {@code plan} from {@code source}, with {@code prices}. */
  public static RetrievalPlan of(BackupDestination source, RestorePlan plan, RetrievalPrices prices)
      throws IOException {
    List<String> names = plan.files().stream().map(PlannedFile::storedName).toList();
    Optional<ColdStorage> cold = source.coldStorage();
    List<FileState> states = new ArrayList<>();
    if (cold.isPresent()) {
      states.addAll(cold.get().states(names));
    } else {
      for (PlannedFile file : plan.files()) {
        states.add(
            new FileState(
                file.storedName(),
                Math.max(0, file.size()),
                "STANDARD",
                Availability.READABLE,
                null));
      }
    }
    return new RetrievalPlan(plan, states, prices, cold.map(ColdStorage::tier).orElse(null));
  }

  /** The files in {@code availability}. */
  public List<FileState> in(Availability availability) {
    return states.stream().filter(s -> s.availability() == availability).toList();
  }

  /** The bytes of all files. */
  public long bytes() {
    return bytes(states);
  }

  /** Every tier of the files that must be requested, with its wait and cost; empty if none. */
  public List<TierEstimate> tiers() {
    Map<String, List<FileState>> byClass = byClass(in(Availability.MUST_REQUEST));
    if (byClass.isEmpty()) {
      return List.of();
    }
    List<TierEstimate> estimates = new ArrayList<>();
    for (String tier : TIERS) {
      double cost = 0;
      String wait = null;
      Set<String> notOffered = new LinkedHashSet<>();
      for (Map.Entry<String, List<FileState>> group : byClass.entrySet()) {
        Optional<RetrievalPrices.Price> price = prices.price(group.getKey(), tier);
        if (price.isEmpty()) {
          notOffered.add(group.getKey());
          continue;
        }
        cost += price.get().of(group.getValue().size(), bytes(group.getValue()));
        wait = price.get().typicalWait(); // classes are in the table's order, slowest last
      }
      estimates.add(
          new TierEstimate(
              tier,
              wait == null ? "not offered" : wait,
              notOffered.isEmpty() ? Optional.of(cost) : Optional.empty(),
              notOffered));
    }
    return estimates;
  }

  /**
   * What reading the files costs that need no request (readable now, or restored already):
   * retrieval fees of the infrequent-access and instant classes and GET requests.
   */
  public double readCost() {
    double cost = 0;
    List<FileState> readable = new ArrayList<>(in(Availability.READABLE));
    for (Map.Entry<String, List<FileState>> group : byClass(readable).entrySet()) {
      cost +=
          prices
              .price(group.getKey(), RetrievalPrices.INSTANT)
              .map(p -> p.of(group.getValue().size(), bytes(group.getValue())))
              .orElse(0.0);
    }
    return cost;
  }

  /** Data transfer out of the cloud for all files, when the restore runs outside it. */
  public double transferOutCost() {
    return prices.transferOutPerGiB() * bytes() / (1024.0 * 1024 * 1024);
  }

  /** Storage classes the price table does not know, among the files. */
  public Set<String> unknownClasses() {
    Set<String> unknown = new LinkedHashSet<>();
    for (FileState state : states) {
      if (prices.tiers(state.storageClass()).isEmpty()) {
        unknown.add(state.storageClass());
      }
    }
    return unknown;
  }

  private Map<String, List<FileState>> byClass(List<FileState> files) {
    Map<String, List<FileState>> byClass = new LinkedHashMap<>();
    for (String known : prices.classes().keySet()) {
      for (FileState file : files) {
        if (file.storageClass().equals(known)) {
          byClass.computeIfAbsent(known, k -> new ArrayList<>()).add(file);
        }
      }
    }
    return byClass;
  }

  private static long bytes(List<FileState> files) {
    return files.stream().mapToLong(FileState::size).sum();
  }
}
