package org.periodicbackups.core.lease;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.periodicbackups.api.source.ChangeSource;

/**
 * Who writes a database's backups: this host and process, and the writer identity that lease
 * documents compare (host and the database's {@link ChangeSource#location() location}, or host and
 * process when the source has no location).
 *
 * @param host this host's name
 * @param process this process's id
 * @param writer the identity
 */
record LeaseWriter(String host, long process, String writer) {
  private static final String HOST = hostName();

  /** The writer of {@code source} in this process. */
  static LeaseWriter of(ChangeSource source) throws IOException {
    long pid = ProcessHandle.current().pid();
    String where = source.location().map(l -> HOST + ":" + l).orElse(HOST + ":process " + pid);
    return new LeaseWriter(HOST, pid, where);
  }

  /** For file headers: {@code node-a (process 1234)}. */
  String description() {
    return host + " (process " + process + ")";
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    try {
      String name = InetAddress.getLocalHost().getHostName();
      if (name != null && !name.isBlank()) {
        return name;
      }
    } catch (UnknownHostException | SecurityException e) {
      // fall back to the environment
    }
    return env != null && !env.isBlank() ? env : "unknown-host";
  }
}
