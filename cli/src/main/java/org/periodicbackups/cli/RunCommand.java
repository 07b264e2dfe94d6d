package org.periodicbackups.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pbk run}: the daemon that backs up, on their schedules, every database of the data folder
 * that has the Periodic Backups bundle, until it receives SIGTERM (or Ctrl-C).
 *
 * <p>Global settings come from {@code <data-dir>/pbk.properties} (if present), overridden by {@code
 * --setting}; see {@link Daemon} for the rest.
 */
@Command(
    name = "run",
    description = {
      "Run periodic backups of every database with the PeriodicBackups bundle until stopped "
          + "(SIGTERM or Ctrl-C).",
      "Global settings: <data-dir>/pbk.properties, overridden by --setting."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Daemon.Options options = new Daemon.Options();

  @Override
  public Integer call() throws Exception {
    return new Daemon("pbk run", options)
        .run(spec, (daemon, workspace, engine, resolver, activation) -> () -> {});
  }
}
