package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.ServerErrorException;
import com.assignr.resilience.jdk.internal.AttemptBody;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.ScriptedResponse;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bodies of responses that are not returned are read to the end and dropped, keeping at most
 * the excerpt; the caller's handler never sees them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BodyDiscardTest extends SimulatorTestBase {
  static final int FIVE_MB = 5 * 1024 * 1024;
  static final int EXCERPT = 4096;

  static <T> BodyHandler<T> seeing(List<Integer> seen, BodyHandler<T> handler) {
    return info -> {
      seen.add(info.statusCode());
      return handler.apply(info);
    };
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFiveMegabyte503IsDrainedWithoutBufferingAndNeverReachesTheCallersHandler(Mode mode)
      throws Exception {
    VirtualTime vt = auto();
    RecordingHttpClient recorder = new RecordingHttpClient(jdk);
    HttpClient client = AssignrHttpClient.wrap(recorder, config(vt).bodyExcerptChars(EXCERPT).build());
    sim.script().respond(ScriptedResponse.status(503).bodyOfSize(FIVE_MB));
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());

    HttpResponse<byte[]> response = mode.call(client, get(GAMES), seeing(seen, BodyHandlers.ofByteArray()));

    assertEquals(200, response.statusCode());
    assertEquals(List.of(200), seen, "the caller's handler read only the returned response");
    assertEquals(FIVE_MB, recorder.bodyBytes.get(0), "the whole 503 body was read off the wire");
    AttemptBody<?> discarded = (AttemptBody<?>) recorder.responses.get(0).body();
    AttemptBody.Discarded<?> kept = assertInstanceOf(AttemptBody.Discarded.class, discarded);
    assertEquals(EXCERPT, kept.excerpt().length, "at most the excerpt was kept of 5 MB");
    assertEquals(FIVE_MB, kept.totalBytes());
    assertFalse(kept.complete());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retriedBodiesLeaveTheHeapFlat(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build());
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    // Warm up the path, then measure a call that drains 4 × 5 MB of 503 bodies before its 200.
    sim.script().respond(ScriptedResponse.status(503).bodyOfSize(FIVE_MB));
    mode.call(client, get(GAMES), BodyHandlers.discarding());
    sim.script().respond(ScriptedResponse.status(503).bodyOfSize(FIVE_MB), 4);
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();

    HttpResponse<Void> response = mode.call(client, get(GAMES), BodyHandlers.discarding());
    System.gc();
    long after = memory.getHeapMemoryUsage().getUsed();

    assertEquals(200, response.statusCode());
    // Loose on purpose (GC timing varies): buffering the bodies would retain 20 MB.
    assertTrue(after - before < 8L * 1024 * 1024,
        "heap grew by " + (after - before) / 1024 + " KB after draining 20 MB of 503 bodies");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anExceptionCarriesABoundedExcerptOfTheLastBody(Mode mode) {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk,
        config(vt).bodyExcerptChars(100).throwOnFailure(true).build());
    sim.script().on(null, null).always().respond(ScriptedResponse.status(503).bodyOfSize(FIVE_MB));
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());

    ServerErrorException e = assertThrows(ServerErrorException.class,
        () -> mode.call(client, get(GAMES), seeing(seen, BodyHandlers.ofString())));

    assertEquals("x".repeat(100), e.bodyExcerpt());
    assertEquals(5, e.attempts());
    assertEquals(List.of(), seen);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aStreamingHandlerGetsTheFinalResponseOnly(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build());
    sim.script().serviceUnavailable(2);
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());

    HttpResponse<InputStream> response = mode.call(client, get(GAMES), seeing(seen, BodyHandlers.ofInputStream()));

    try (InputStream body = response.body()) {
      assertTrue(new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains("\"games\""));
    }
    assertEquals(List.of(200), seen);
    assertEquals(3, served("GET", GAMES));
  }
}
