package com.assignr.resilience.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.GatePolicy;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.oauth.AccessToken;
import com.assignr.resilience.oauth.AssignrOAuth;
import com.assignr.resilience.oauth.Credentials;
import com.assignr.resilience.oauth.TokenSource;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.RateLimitRule;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.workflows.PageSource;
import com.assignr.resilience.workflows.ReadModifyWrite;
import com.assignr.resilience.workflows.ResumeToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The workflows guide's two classes, compiled by the docs harness as written, do what the guide
 * says against the simulator (through the JDK adapter with {@code throwOnFailure(true)}): the 409
 * helper with a competing editor, the pager across hourly windows, resumed from its token string.
 */
@Timeout(60)
class WorkflowsGuideTest {

  @Test
  void theGuidesClassesDoWhatItSays() throws Exception {
    DocSnippetsTest.Compiled docs = DocSnippetsTest.compileAll();
    String pkg = docs.unitsOf("docs/workflows.md");
    try (URLClassLoader loader = docs.loader()) {
      Class<?> moveKickOff = loader.loadClass(pkg + ".MoveKickOff");
      Method move = moveKickOff.getDeclaredMethod("moveKickOff", HttpClient.class, String.class);
      Method send = moveKickOff.getDeclaredMethod("send", HttpClient.class, HttpRequest.Builder.class);
      Method sync = loader.loadClass(pkg + ".SyncGames")
          .getDeclaredMethod("sync", PageSource.Fetch.class, String.class, String.class, Consumer.class);
      move.setAccessible(true);   // package-private classes, as pasted
      send.setAccessible(true);
      sync.setAccessible(true);

      // 409: another user saves right after our first read; the guide's class re-reads and saves.
      try (Simulated assignr = new Simulated(5, RateLimitRule.assignrDefaults(), GatePolicy.defaults())) {
        assignr.sim.competingEditor(1001, 1);
        Object result = move.invoke(null, assignr.client, assignr.url("/games/1001"));
        ReadModifyWrite.Saved<?, ?> saved = assertInstanceOf(ReadModifyWrite.Saved.class, result);
        assertEquals(2, saved.writes());
        assertEquals("10:00", assignr.sim.gameAttribute(1001, "start_time"));
        assertEquals("Edited by another user (1)", assignr.sim.gameAttribute(1001, "notes"));
        assertInstanceOf(ReadModifyWrite.AlreadyApplied.class, move.invoke(null, assignr.client, assignr.url("/games/1001")));
        assertEquals(2, assignr.sim.gameWrites().size());
      }

      // Paging: 4 pages an hour, 10 pages; each run stops at the window, the next resumes from the string.
      try (Simulated assignr = new Simulated(500, List.of(RateLimitRule.of(4, Duration.ofHours(1))),
          GatePolicy.builder().reserve(0).interactiveShare(0).build())) {
        PageSource.Fetch get = url -> {
          try {
            return (String) send.invoke(null, assignr.client, HttpRequest.newBuilder(URI.create(url)));
          } catch (InvocationTargetException e) {
            throw (IOException) e.getCause();
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
            assignr.time.sleep(Duration.ofMinutes(61).toNanos(), CancellationSignal.NEVER);   // the job's scheduler
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

  /** One site on the simulator, virtual time, the JDK adapter with a library-managed fixed token. */
  private static final class Simulated implements AutoCloseable {
    final VirtualTime time = VirtualTime.autoAdvancing();
    final AssignrSimulator sim;
    final HttpClient client;

    Simulated(int games, List<RateLimitRule> rules, GatePolicy gate) {
      sim = AssignrSimulator.builder().clock(time.clock()).sites(1).gamesPerSite(games).rateLimits(rules).start();
      Credentials credentials = AssignrOAuth.builder().tokenSource(TokenSource.fixed(AccessToken.bearer(
          "guide-token", Duration.ofDays(1)))).clientId("workflows-guide").refreshAhead(Duration.ZERO)
          .timeSource(time).build();
      client = AssignrHttpClient.wrap(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
          AssignrResilience.builder().timeSource(time).random(() -> 0.0).allowInsecureLoopback(true).gate(gate)
              .throwOnFailure(true).credentials(credentials).build());
    }

    String url(String path) {
      return sim.httpBaseUrl() + path;
    }

    @Override
    public void close() {
      sim.close();
    }
  }
}
