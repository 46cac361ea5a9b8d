package com.assignr.resilience.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.testing.ReadmeSnippets;
import com.assignr.resilience.testkit.RateLimitRule;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's two workflow snippets, compiled as written (every lint warning an error) and run
 * against the simulator through the JDK adapter: the 409 one with a competing editor, the paging
 * one across two hourly windows, resumed from the token string it returns.
 */
@Timeout(60)
class ReadmeWorkflowsSectionTest {

  @Test
  void bothSnippetsCompileAndDoWhatTheSectionSays(@TempDir Path dir) throws Exception {
    String rmw = ReadmeSnippets.javaBlock("### 409 Conflict: read, change, write", 0);
    String paging = ReadmeSnippets.javaBlock("### Syncs longer than the hourly window", 0);
    assertTrue(rmw.contains("class MoveKickOff"), rmw);
    assertTrue(paging.contains("class SyncGames"), paging);

    try (URLClassLoader loader = ReadmeSnippets.compile(dir, "MoveKickOff", rmw, "SyncGames", paging)) {
      Class<?> moveKickOff = loader.loadClass("MoveKickOff");
      Method move = moveKickOff.getDeclaredMethod("moveKickOff", java.net.http.HttpClient.class, String.class);
      Method send = moveKickOff.getDeclaredMethod("send", java.net.http.HttpClient.class,
          java.net.http.HttpRequest.Builder.class);
      Method sync = loader.loadClass("SyncGames").getDeclaredMethod("sync", PageSource.Fetch.class, String.class,
          String.class, Consumer.class);
      // Package-private classes, as pasted: reached by reflection.
      move.setAccessible(true);
      send.setAccessible(true);
      sync.setAccessible(true);

      // 409: another user saves right after our first read; the snippet re-reads and saves.
      try (SimulatedAssignr assignr = new SimulatedAssignr(1, 5)) {
        assignr.sim.competingEditor(1001, 1);
        Object result = move.invoke(null, assignr.client, assignr.url("/games/1001"));
        ReadModifyWrite.Saved<?, ?> saved = assertInstanceOf(ReadModifyWrite.Saved.class, result);
        assertEquals(2, saved.writes());
        assertEquals("10:00", assignr.sim.gameAttribute(1001, "start_time"));
        assertEquals("Edited by another user (1)", assignr.sim.gameAttribute(1001, "notes"));
        // Run again: the change is there, nothing is written.
        assertInstanceOf(ReadModifyWrite.AlreadyApplied.class, move.invoke(null, assignr.client, assignr.url("/games/1001")));
        assertEquals(2, assignr.sim.gameWrites().size());
      }

      // Paging: 4 pages an hour, 10 pages; each run stops at the window, the next resumes from the string.
      try (SimulatedAssignr assignr = new SimulatedAssignr(1, 500,
          List.of(RateLimitRule.of(4, Duration.ofHours(1))), GatePolicy.builder().reserve(0).interactiveShare(0).build())) {
        PageSource.Fetch get = url -> {
          try {
            return (String) send.invoke(null, assignr.client, java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)));
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw (java.io.IOException) e.getCause();
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        };
        List<JsonNode> stored = new ArrayList<>();
        Consumer<JsonNode> store = stored::add;
        List<Integer> perRun = new ArrayList<>();
        String saved = null;
        do {
          saved = (String) sync.invoke(null, get, assignr.url("/sites/1/games"), saved, store);
          perRun.add(stored.size());
          if (saved != null) {
            assertNotNull(ResumeToken.parse(saved).next());
            assignr.time.sleep(Duration.ofMinutes(61).toNanos(), CancellationSignal.NEVER); // the scheduler
          }
        } while (saved != null && perRun.size() < 5);
        assertNull(saved, "complete after " + perRun);
        assertEquals(List.of(200, 400, 500), perRun);
        HashSet<Long> ids = new HashSet<>();
        stored.forEach(g -> ids.add(g.get("id").asLong()));
        assertEquals(500, ids.size());
        assertEquals(10, assignr.sim.journal().entries("GET", "/api/v2/sites/1/games").stream()
            .filter(e -> e.status() == 200).count());
      }
    }
  }
}
