package org.periodicbackups.cli;

import picocli.CommandLine.Option;

/** The {@code --database} option shared by the commands that work on one database. */
final class DatabaseOption {
  @Option(
      names = {"-d", "--database"},
      required = true,
      paramLabel = "<name>",
      description = "The database to work on.")
  String name;
}
