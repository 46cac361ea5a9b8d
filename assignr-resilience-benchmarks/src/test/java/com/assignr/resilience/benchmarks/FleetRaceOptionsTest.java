package com.assignr.resilience.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The fleet race's options (parsed only: nothing here starts Redis or a worker) and its loaded
 * host, a real {@link BusyLoops} JVM that must never outlive the race.
 */
@Timeout(60)
class FleetRaceOptionsTest {
  @Test
  void defaults_quietAndWebapp_fourBusyLoops() {
    FleetRace race = new FleetRace();
    new CommandLine(race).parseArgs();
    assertEquals(List.of("quiet", "webapp"), race.variants);
    assertEquals(4, race.busyLoops);
  }

  @Test
  void loadedIsTheWebAppOnABusyHost() {
    assertTrue(FleetRace.Settings.withWebApp("loaded"));
    assertTrue(FleetRace.Settings.withWebApp("webapp"));
    assertFalse(FleetRace.Settings.withWebApp("quiet"));
    assertEquals("fleet-loaded.png", FleetRace.chartName("loaded"));
    assertEquals("fleet.png", FleetRace.chartName("quiet"));
  }

  @Test
  void anUnknownVariant_isRefusedNamingTheOptionAndTheValue() {
    String err = runExpectingUsageError("--variants", "quiet,busy");
    assertTrue(err.contains("--variants: unknown variant 'busy' (known: quiet, webapp, loaded)"), err);
  }

  @Test
  void noBusyLoops_isRefusedNamingTheOptionAndTheValue() {
    String err = runExpectingUsageError("--variants", "loaded", "--busy-loops", "0");
    assertTrue(err.contains("--busy-loops must be at least 1, was 0"), err);
  }

  @Test
  void theBusyLoopsSpinInTheirOwnJvm_untilClosed() throws Exception {
    long pid;
    try (BusyLoops.Load load = BusyLoops.Load.start(FleetRace.javaBinary(), FleetRace.classPath(), 1)) {
      pid = load.pid();
      assertTrue(load.isAlive());
      assertTrue(ProcessHandle.of(pid).orElseThrow().info().command().isPresent());
    }
    // close() returns once the process is gone
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "busy loops " + pid + " still alive");
  }

  @Test
  void theBusyLoopsEndThemselves_whenTheCoordinatorGoes() throws Exception {
    // What a killed coordinator leaves behind: the child's stdin closes, nothing destroys it.
    Process p = new ProcessBuilder(FleetRace.javaBinary(), "-cp", FleetRace.classPath(), BusyLoops.class.getName(), "1")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      byte[] ready = p.getInputStream().readNBytes(5);
      assertEquals("READY", new String(ready, java.nio.charset.StandardCharsets.US_ASCII));
      // It spins (and stays) until its stdin closes: 200 ms of CPU after READY, alive throughout.
      long atReady = cpuMillis(p);
      while (cpuMillis(p) < atReady + 200) {
        assertTrue(p.isAlive(), "the busy loops ended before their stdin closed");
        Thread.onSpinWait();
      }
      p.getOutputStream().close();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the busy loops outlived their stdin");
      assertEquals(0, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
  }

  private static long cpuMillis(Process p) {
    return p.info().totalCpuDuration().orElseThrow().toMillis();
  }

  private static String runExpectingUsageError(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new FleetRace());
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertEquals(CommandLine.ExitCode.USAGE, cli.execute(args), err.toString());
    return err.toString();
  }
}
