package org.periodicbackups.core.dump;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Feeds the dump reader arbitrary bytes. An input starting with {@code g} or {@code z} is
 * compressed (gzip, zstd) after that byte, so that mutations of plain JSON reach the parser instead
 * of stopping at the compression's checks; any other input is read as it is.
 *
 * <p>Without {@code JAZZER_FUZZ} it runs the inputs in {@code DumpReaderBytesFuzzTestInputs} (small
 * valid dumps and every finding so far); with it, Jazzer mutates them for the time the build gives
 * (see the core pom).
 */
class DumpReaderBytesFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void readerAcceptsOrRefusesNamingTheFile(byte[] input) {
    DumpReaderContract.check(frame(input));
  }

  static byte[] frame(byte[] input) {
    if (input.length == 0) {
      return input;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    return switch (input[0]) {
      case 'g' -> DumpReaderContract.gzip(rest);
      case 'z' -> DumpReaderContract.zstd(rest);
      default -> input;
    };
  }
}
