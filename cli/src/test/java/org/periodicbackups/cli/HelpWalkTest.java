package org.periodicbackups.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.periodicbackups.cli.Pbk.Run;
import picocli.CommandLine;

/**
 * Walks the whole command tree, so that a command added later cannot forget its help: every command
 * path answers {@code --help}, {@code -h} and {@code help} with its usage.
 */
class HelpWalkTest {

  @TestFactory
  Stream<DynamicTest> everyCommandAnswersHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), List.of(), paths);

    assertThat(paths)
        .as("the walk reaches every level")
        .contains(
            List.of(),
            List.of("backup"),
            List.of("run"),
            List.of("server"),
            List.of("settings", "set"),
            List.of("smuggler", "in"),
            List.of("help"));
    return paths.stream()
        .map(
            path ->
                DynamicTest.dynamicTest(
                    String.join(" ", prepend("pbk", path)), () -> answersHelp(path)));
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(path);
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              // Aliases would list a command twice; the walk follows each command once, by its
              // name.
              if (name.equals(sub.getCommandName())) {
                collect(sub, append(path, name), paths);
              }
            });
  }

  /** {@code --help}, {@code -h}, and the parent's {@code help <name>}, all alike. */
  private static void answersHelp(List<String> path) {
    String usage = "Usage: " + String.join(" ", prepend("pbk", path)) + " ";
    Run longForm = Pbk.run(append(path, "--help").toArray(String[]::new));
    Run shortForm = Pbk.run(append(path, "-h").toArray(String[]::new));
    List<String> helpCommand =
        path.isEmpty()
            ? List.of("help")
            : append(append(path.subList(0, path.size() - 1), "help"), path.get(path.size() - 1));
    Run helpForm = Pbk.run(helpCommand.toArray(String[]::new));

    for (Run run : List.of(longForm, shortForm, helpForm)) {
      assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
      assertThat(run.err()).as("stderr").isEmpty();
      assertThat(run.out()).as("stdout").contains(usage);
    }
    assertThat(shortForm.out()).as("-h prints what --help prints").isEqualTo(longForm.out());
    assertThat(helpForm.out())
        .as("%s prints what --help prints", String.join(" ", helpCommand))
        .isEqualTo(longForm.out());
  }

  private static List<String> append(List<String> list, String last) {
    List<String> longer = new ArrayList<>(list);
    longer.add(last);
    return longer;
  }

  private static List<String> prepend(String first, List<String> list) {
    List<String> longer = new ArrayList<>();
    longer.add(first);
    longer.addAll(list);
    return longer;
  }
}
