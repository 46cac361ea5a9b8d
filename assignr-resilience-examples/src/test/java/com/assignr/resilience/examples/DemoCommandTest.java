package com.assignr.resilience.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The command line: the real-API mode (pointed at a local simulator) reads only and hides the token. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DemoCommandTest {
  private static final String TOKEN = "s3cr3t-token-value";

  @Test
  void realApiModeIsReadOnlyAndNeverPrintsTheToken() {
    try (AssignrSimulator sim = AssignrSimulator.builder().token(TOKEN).sites(2).gamesPerSite(60).start()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      int code = new CommandLine(new Demo(out)).execute(
          "--base-url", sim.httpBaseUrl(), "--token", TOKEN, "--details-per-site", "3",
          "--workers", "2", "--progress", "0");
      String printed = bytes.toString(StandardCharsets.UTF_8);

      assertEquals(0, code, printed);
      assertFalse(printed.contains(TOKEN), printed);
      assertTrue(sim.journal().count() > 0);
      assertTrue(sim.journal().entries().stream().map(JournalEntry::method).allMatch("GET"::equals),
          "only GETs against the real API");
      // Both adapters: account + sites page + 2 pages of games (limit 50) + 2 x 3 details, each.
      assertEquals(2 * (1 + 1 + 2 * 2 + 2 * 3), sim.journal().count());
      assertTrue(printed.contains("requests sent"), printed);
    }
  }

  @Test
  void helpExplainsEveryFlag() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CommandLine cli = new CommandLine(new Demo(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    cli.setOut(new java.io.PrintWriter(bytes, true, StandardCharsets.UTF_8));
    assertEquals(0, cli.execute("--help"));
    String help = bytes.toString(StandardCharsets.UTF_8);
    for (CommandLine.Model.OptionSpec option : cli.getCommandSpec().options()) {
      assertTrue(help.contains(option.longestName()), option.longestName());
      assertTrue(option.description().length > 0, option.longestName() + " has a description");
    }
  }
}
