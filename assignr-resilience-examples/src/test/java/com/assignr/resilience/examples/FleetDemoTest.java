package com.assignr.resilience.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The fleet mode end to end: an embedded Redis and two instances in separate JVMs split the job,
 * once on local gates and once on the shared gate. The counts must agree with the server's
 * journal, and the summary must show both columns; the 429s and times are measurements.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class FleetDemoTest {
  @Test
  void twoInstancesSplitTheJob_onLocalGatesAndOnTheSharedGate() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = new CommandLine(new Demo(out)).execute("--instances", "2", "--workers", "2", "--sites", "2",
        "--games-per-site", "100", "--details-per-site", "6", "--rate-limit", "12/2", "--progress", "0");
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(printed);

    assertEquals(0, code, printed);
    assertTrue(printed.contains("local gates") && printed.contains("shared gate (Redis)"), printed);
    // Each instance: its site's 2 pages of 50 games and 6 details. (Code 0 also means the
    // instances' own request counts equal the server's journal.)
    assertTrue(printed.matches("(?s).*games synced / details\\s+\\|\\s+200 / 12 \\|\\s+200 / 12 \\|.*"), printed);
    assertTrue(printed.matches("(?s).*calls failed for good\\s+\\|\\s+0 \\|\\s+0 \\|.*"), printed);
  }
}
