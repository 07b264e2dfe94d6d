package org.periodicbackups.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.periodicbackups.api.ConfigurationException;
import org.periodicbackups.core.dump.EncryptionKey;
import org.periodicbackups.store.sqlite.SecuredSettingNames;
import org.periodicbackups.store.sqlite.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pbk settings}: list, set and remove database settings. Secured settings (credentials) are
 * encrypted with the data folder's master key, read from standard input or a no-echo prompt, never
 * from the command line (which other users and shell history can see), and never printed.
 */
@Command(
    name = "settings",
    description = "List, set and remove database settings.",
    subcommands = {
      SettingsCommand.ListSettings.class,
      SettingsCommand.SetSetting.class,
      SettingsCommand.SetSecuredSetting.class,
      SettingsCommand.RemoveSetting.class,
      EncryptionKeyCommands.Generate.class,
      EncryptionKeyCommands.Export.class,
      HelpCommand.class,
    })
final class SettingsCommand implements Runnable {
  /** What {@code list} prints instead of a secured value. */
  static final String SECURED_PLACEHOLDER = "(secured)";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * Refuses a plain setting whose name marks a credential.
   *
   * @throws ParameterException pointing to {@code pbk settings set-secured}
   */
  static void requirePlainAllowed(CommandSpec spec, String name) {
    if (SecuredSettingNames.mustBeSecured(name)) {
      throw new ParameterException(
          spec.commandLine(),
          "setting '"
              + name
              + "' holds a"
              + " credential and must be secured: use 'pbk settings set-secured -d <db> "
              + name
              + "' (reads the value from standard input); "
              + SecuredSettingNames.RULE);
    }
  }

  /** {@code pbk settings list}: plain settings with values, secured ones as a placeholder. */
  @Command(
      name = "list",
      description =
          "List the settings of a database; secured values are"
              + " shown as "
              + SECURED_PLACEHOLDER
              + ".")
  static final class ListSettings implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace()) {
        SqliteDatabase db = workspace.database(database.name);
        Map<String, String> lines = new TreeMap<>(db.settings());
        Set<String> secured = db.securedSettingNames();
        secured.forEach(name -> lines.put(name, SECURED_PLACEHOLDER));
        if (lines.isEmpty()) {
          System.out.println("(no settings)");
        }
        lines.forEach((name, value) -> System.out.println(name + " = " + value));
        return 0;
      }
    }
  }

  /** {@code pbk settings set}: a plain setting; credentials are refused. */
  @Command(
      name = "set",
      description = "Set a plain setting (credentials are refused: use" + " set-secured).")
  static final class SetSetting implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DatabaseOption database;

    @Parameters(index = "0", paramLabel = "<name>", description = "e.g. Raven/AWSAccessKey")
    String name;

    @Parameters(index = "1", paramLabel = "<value>")
    String value;

    @Override
    public Integer call() throws Exception {
      requirePlainAllowed(spec, name);
      try (Workspace workspace = new Workspace()) {
        workspace.database(database.name).putSetting(name, value);
        System.out.println("set setting '" + name + "' of database '" + database.name + "'");
        return 0;
      }
    }
  }

  /** {@code pbk settings set-secured}: an encrypted setting, its value read from stdin. */
  @Command(
      name = "set-secured",
      description = {
        "Set a secured (encrypted) setting such as Raven/AWSSecretKey.",
        "The value is the first line of standard input, or typed at a prompt without echo;"
            + " it is never taken from the command line."
      })
  static final class SetSecuredSetting implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Parameters(index = "0", paramLabel = "<name>", description = "e.g. Raven/AWSSecretKey")
    String name;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace()) {
        // Open first so that a wrong database name fails before asking for the secret.
        SqliteDatabase db = workspace.database(database.name);
        String value = readValue(name);
        if (name.equals(EncryptionKey.SETTING)) {
          try {
            EncryptionKey.parse(value, "the value given for " + name);
          } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
          }
        }
        db.putSecuredSetting(name, value);
        System.out.println(
            "set secured setting '"
                + name
                + "' of database '"
                + database.name
                + "' (encrypted with the master key; back up "
                + workspace.store().masterKeyFile()
                + " unless PBK_MASTER_KEY is set)");
        return 0;
      }
    }

    private static String readValue(String name) throws IOException {
      Console console = terminal();
      String value;
      if (console != null) {
        char[] typed = console.readPassword("value of secured setting '%s' (not echoed): ", name);
        if (typed == null) {
          throw new IOException("no value given for secured setting '" + name + "'");
        }
        value = new String(typed);
        Arrays.fill(typed, ' ');
      } else {
        // Not closed: closing would close System.in.
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        value = in.readLine();
        if (value == null) {
          throw new IOException(
              "no value on standard input for secured setting '"
                  + name
                  + "'; pipe it in, e.g. printf '%s\\n' \"$SECRET\" | pbk settings set-secured -d"
                  + " <db> "
                  + name);
        }
      }
      if (value.isEmpty()) {
        throw new IOException(
            "the value of secured setting '"
                + name
                + "' is empty; to delete"
                + " it use 'pbk settings remove'");
      }
      return value;
    }

    /**
     * The console if standard input is an interactive terminal, else null. Java 17 gives no console
     * when input is redirected; Java 22+ always gives one and says so by isTerminal.
     */
    private static Console terminal() {
      Console console = System.console();
      if (console == null) {
        return null;
      }
      try {
        Object isTerminal = Console.class.getMethod("isTerminal").invoke(console);
        return Boolean.TRUE.equals(isTerminal) ? console : null;
      } catch (ReflectiveOperationException olderJava) {
        return console;
      }
    }
  }

  /** {@code pbk settings remove}: removes a plain or secured setting. */
  @Command(name = "remove", description = "Remove a setting, plain or secured.")
  static final class RemoveSetting implements Callable<Integer> {
    @Mixin DatabaseOption database;

    @Parameters(index = "0", paramLabel = "<name>")
    String name;

    @Override
    public Integer call() throws Exception {
      try (Workspace workspace = new Workspace()) {
        SqliteDatabase db = workspace.database(database.name);
        boolean existed = db.isSecured(name) || db.settings().containsKey(name);
        db.removeSetting(name);
        System.out.println(
            existed
                ? "removed setting '" + name + "' of database '" + database.name + "'"
                : "setting '" + name + "' was not set in database '" + database.name + "'");
        return 0;
      }
    }
  }
}
