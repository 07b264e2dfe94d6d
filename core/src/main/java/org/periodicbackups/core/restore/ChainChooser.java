package org.periodicbackups.core.restore;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.periodicbackups.core.dump.BackupFileName;

/**
 * Chooses what to restore from a {@link Catalogue}: the database, the chain and how far along it
 * (the latest state, up to a named file, or up to a point in time), and, within a chain, which of
 * two files written at the same position counts and which path through compacted and fine files
 * reads the fewest files ({@link #furthest}). Reads no file; the links of the chosen files are
 * checked by {@link ChainLinks}.
 */
final class ChainChooser {
  private ChainChooser() {}

  /**
   * The database to restore: {@code requested}, or the only one there is.
   *
   * @param where the listing's place, for messages
   * @throws RestoreException if {@code requested} has no backups, or none is requested and several
   *     databases have some
   */
  static String database(Catalogue catalogue, String requested, String where)
      throws RestoreException {
    if (requested == null) {
      if (catalogue.databases.size() > 1) {
        throw new RestoreException(
            "backups of several databases are at "
                + where
                + ": "
                + catalogue.databases.keySet()
                + "; name the one to restore");
      }
      return catalogue.databases.keySet().iterator().next();
    }
    if (!catalogue.databases.containsKey(requested)) {
      throw new RestoreException(
          "no backups of database '"
              + requested
              + "' at "
              + where
              + "; found backups of "
              + catalogue.databases.keySet());
    }
    return requested;
  }

  /**
   * The files of {@code database} that {@code request} asks for, in chain order: up to its
   * until-file, else up to its until-time, else up to the latest moment any chain reaches.
   *
   * @param chains the database's chains, by chain start
   * @throws RestoreException if the until-file or a chain started by the until-time is not there
   * @throws org.periodicbackups.api.InvalidBackupException if the only chain reaching the
   *     until-time lacks its full backup
   */
  static List<PlannedFile> files(
      TreeMap<Instant, List<PlannedFile>> chains,
      RestoreRequest request,
      String database,
      String where)
      throws IOException {
    return files(chains, request, database, where, file -> 0);
  }

  /**
   * As {@link #files(TreeMap, RestoreRequest, String, String)}, choosing the latest state by {@code
   * leaseToken} first: of the chains reaching a moment, the one whose last file up to then was
   * written under the highest lease token, so that the clocks of different writers are never
   * compared; then by time.
   */
  static List<PlannedFile> files(
      TreeMap<Instant, List<PlannedFile>> chains,
      RestoreRequest request,
      String database,
      String where,
      ToLongFunction<PlannedFile> leaseToken)
      throws IOException {
    if (request.untilFile() != null) {
      return upToFile(chains, request.untilFile(), database, where);
    } else if (request.until() != null) {
      return upToTime(chains, request.until(), database, where, leaseToken);
    }
    return latest(chains.values(), Instant.MAX, leaseToken);
  }

  /**
   * Keeps, for each position of {@code files} (one chain, in chain order), only the newest file,
   * and adds the others to {@code ignoredNames}. An older one with the same sequence was uploaded
   * by a run whose status write never happened (a crash or failure after the upload); the next run
   * wrote that position again, and later files continue from the newer one. Verification still
   * checks every link, so a wrong choice cannot pass silently.
   */
  static void dropSuperseded(List<PlannedFile> files, List<String> ignoredNames) {
    dropSuperseded(files, ignoredNames, new HashMap<>());
  }

  /** As the two-argument form, also noting in {@code superseded} which file each kept one beat. */
  static void dropSuperseded(
      List<PlannedFile> files, List<String> ignoredNames, Map<String, PlannedFile> superseded) {
    for (int i = files.size() - 1; i > 0; i--) {
      BackupFileName earlier = files.get(i - 1).name();
      BackupFileName later = files.get(i).name();
      if (earlier.sequence() == later.sequence()
          && earlier.lastSequence() == later.lastSequence()) {
        PlannedFile dropped = files.remove(i - 1);
        superseded.putIfAbsent(files.get(i - 1).storedName(), dropped);
        ignoredNames.add(
            dropped.storedName() + " (superseded by '" + files.get(i - 1).storedName() + "')");
      }
    }
  }

  private static List<PlannedFile> upToFile(
      TreeMap<Instant, List<PlannedFile>> chains, String untilFile, String database, String where)
      throws RestoreException {
    for (List<PlannedFile> chain : chains.values()) {
      for (PlannedFile f : chain) {
        if (f.storedName().equals(untilFile)
            || f.name().path().equals(untilFile)
            || f.name().fileName().equals(untilFile)) {
          return furthest(chain, g -> g == f || g.name().lastSequence() < f.name().sequence());
        }
      }
    }
    Optional<BackupFileName> named = BackupFileName.parse(untilFile);
    List<PlannedFile> chain = named.map(n -> chains.get(n.chainStart())).orElse(null);
    if (chain != null) {
      BackupFileName n = named.get();
      List<PlannedFile> covering =
          chain.stream()
              .filter(c -> c.name().isCompacted())
              .filter(c -> c.name().sequence() <= n.sequence())
              .filter(c -> n.lastSequence() <= c.name().lastSequence())
              .toList();
      for (PlannedFile c : covering) {
        if (c.name().lastSequence() == n.lastSequence()
            && c.name().createdAt().equals(n.createdAt())) {
          // The compacted file ends where the named one did: the same state of the database.
          return furthest(chain, g -> g == c || g.name().lastSequence() < c.name().sequence());
        }
      }
      if (!covering.isEmpty()) {
        throw new RestoreException(
            "backup file '"
                + untilFile
                + "' was merged into '"
                + covering.get(0).storedName()
                + "' and removed (compaction keeps the finer files for CompactionKeepMilliseconds);"
                + " restore up to that file, or to a point in time with --until");
      }
    }
    throw new RestoreException(
        "no backup file '" + untilFile + "' of database '" + database + "' at " + where);
  }

  private static List<PlannedFile> upToTime(
      TreeMap<Instant, List<PlannedFile>> chains,
      Instant until,
      String database,
      String where,
      ToLongFunction<PlannedFile> leaseToken)
      throws IOException {
    Map.Entry<Instant, List<PlannedFile>> chain = chains.floorEntry(until);
    if (chain == null) {
      throw new RestoreException(
          "no backup chain of database '"
              + database
              + "' at "
              + where
              + " started at or before "
              + until
              + "; the oldest started at "
              + chains.firstKey());
    }
    List<PlannedFile> files = latest(chains.headMap(until, true).values(), until, leaseToken);
    if (files.isEmpty()) {
      ChainLinks.requireContiguous(chain.getValue()); // the chain lacks its full: say so
    }
    return files;
  }

  /**
   * The files, up to {@code until}, of the chain that reaches the latest moment: the chain whose
   * last file up to then was created last (of two reaching the same moment, the one started later).
   * Usually the newest chain; but a full backup whose run died after its upload and before its
   * status write starts a chain the engine never continues, while the previous chain goes on:
   * restoring that newer chain would give back an older state of the database. A higher lease token
   * of the last file wins over time: its writer took the lease over from the other chain's.
   */
  private static List<PlannedFile> latest(
      Collection<List<PlannedFile>> chains, Instant until, ToLongFunction<PlannedFile> leaseToken) {
    List<PlannedFile> best = List.of();
    for (List<PlannedFile> chain : chains) {
      List<PlannedFile> files = furthest(chain, f -> !f.name().createdAt().isAfter(until));
      if (files.isEmpty()) {
        continue;
      }
      if (best.isEmpty()) {
        best = files;
        continue;
      }
      long token = leaseToken.applyAsLong(files.get(files.size() - 1));
      long bestToken = leaseToken.applyAsLong(best.get(best.size() - 1));
      if (token > bestToken
          || (token == bestToken && !lastCreated(files).isBefore(lastCreated(best)))) {
        best = files;
      }
    }
    return best;
  }

  /**
   * The path through {@code chain} (one chain in chain order, superseded files dropped) that
   * reaches the furthest position using only {@code allowed} files, and of those the one of fewest
   * files: compacted files first where they cover the positions, then the finer tail. Where a gap
   * stops the path before an allowed file, that file is added after it, so that {@link
   * ChainLinks#requireContiguous} names the gap; a chain without its full gives just its first
   * allowed file for the same reason.
   */
  static List<PlannedFile> furthest(List<PlannedFile> chain, Predicate<PlannedFile> allowed) {
    // Positions are nodes and each file an edge from its sequence to its last sequence + 1; files
    // come in order of sequence, so one pass finds the shortest path to every reachable node.
    Map<Integer, PlannedFile> arrivingBy = new HashMap<>();
    Map<Integer, Integer> steps = new HashMap<>();
    steps.put(0, 0);
    int reach = 0;
    for (PlannedFile f : chain) {
      if (!allowed.test(f)) {
        continue;
      }
      Integer before = steps.get(f.name().sequence());
      if (before == null) {
        continue;
      }
      int to = f.name().lastSequence() + 1;
      Integer known = steps.get(to);
      if (known == null || before + 1 < known) {
        steps.put(to, before + 1);
        arrivingBy.put(to, f);
      }
      reach = Math.max(reach, to);
    }
    ArrayDeque<PlannedFile> path = new ArrayDeque<>();
    for (int at = reach; at > 0; ) {
      PlannedFile f = arrivingBy.get(at);
      path.addFirst(f);
      at = f.name().sequence();
    }
    List<PlannedFile> files = new ArrayList<>(path);
    for (PlannedFile f : chain) {
      if (allowed.test(f) && f.name().sequence() >= reach && f.name().lastSequence() >= reach) {
        files.add(f); // the first file after a gap: requireContiguous names the gap
        break;
      }
    }
    return files;
  }

  private static Instant lastCreated(List<PlannedFile> files) {
    return files.get(files.size() - 1).name().createdAt();
  }
}
