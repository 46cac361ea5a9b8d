package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Timelines on virtual time: what was waited, when the retry arrived, what was sent. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryTimelineTest extends SimulatorTestBase {

  /** The waits a call asked for: sleeps on the sync path, scheduled delays on the async one. */
  static List<Duration> waits(Mode mode, VirtualTime vt) {
    return mode == Mode.SYNC ? vt.sleeps() : vt.scheduledDelays();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void waitsOutTheRateLimitResetPlusTheMarginThenRetries(Mode mode) throws Exception {
    VirtualTime vt = auto();
    AssignrResilience resilience = config(vt).build();
    HttpClient client = AssignrHttpClient.wrap(jdk, resilience);
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "7"));

    HttpResponse<String> response = mode.call(client, get(GAMES), BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    Duration expected = Duration.ofSeconds(7).plus(resilience.policy().rateLimitMargin());
    assertEquals(List.of(expected), waits(mode, vt), "7 s reset + margin, jitter pinned at 0");
    List<JournalEntry> arrivals = sim.journal().entries("GET", "/api/v2" + GAMES);
    assertEquals(List.of(429, 200), arrivals.stream().map(JournalEntry::status).toList());
    Duration gap = Duration.between(arrivals.get(0).arrivedAt(), arrivals.get(1).arrivedAt());
    assertFalse(gap.compareTo(expected) < 0, "the retry arrived " + gap + " later, before the reset");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void backsOffThroughA503BurstThenSucceeds(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build());
    sim.script().serviceUnavailable(3);

    HttpResponse<String> response = mode.call(client, get(GAMES), BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("\"games\""), response.body());
    assertEquals(4, served("GET", GAMES));
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)),
        waits(mode, vt), "exponential backoff, jitter pinned at 0");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPostAnswered500ReachesTheServerExactlyOnce(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build());
    sim.script().next(1).respondStatus(500);

    HttpResponse<String> response = mode.call(client, post(CONFIRM, "{}"), BodyHandlers.ofString());

    assertEquals(500, response.statusCode());
    assertEquals(1, served("POST", CONFIRM));
    assertEquals(List.of(), waits(mode, vt));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void refusesPlainHttpWithNothingSent(Mode mode) {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).allowInsecureLoopback(false).build());

    InsecureRequestException e = assertThrows(InsecureRequestException.class,
        () -> mode.call(client, post(CONFIRM, "{}"), BodyHandlers.ofString()));

    assertTrue(e.getMessage().contains("https://"), e.getMessage());
    assertEquals(0, sim.journal().count());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void refusesPlainHttpToAnyOtherHostEvenWithLoopbackAllowed(Mode mode) {
    VirtualTime vt = auto();
    RecordingHttpClient recorder = new RecordingHttpClient(jdk);
    HttpClient client = AssignrHttpClient.wrap(recorder, config(vt).build());
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://api.assignr.com/api/v2/sites")).build();

    assertThrows(InsecureRequestException.class, () -> mode.call(client, request, BodyHandlers.ofString()));
    assertEquals(List.of(), recorder.requests);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void addsAssignrHeadersUnlessTheCallerSetThem(Mode mode) throws Exception {
    VirtualTime vt = auto();
    RecordingHttpClient recorder = new RecordingHttpClient(jdk);
    HttpClient client = AssignrHttpClient.wrap(recorder,
        config(vt).writeContentType("application/x-www-form-urlencoded").build());

    mode.call(client, post(CONFIRM, "a=1"), BodyHandlers.discarding());
    mode.call(client, request(CONFIRM).header("Accept", "application/json")
        .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{}")).build(),
        BodyHandlers.discarding());
    mode.call(client, get(GAMES), BodyHandlers.discarding());

    HttpRequest defaulted = recorder.requests.get(0);
    assertEquals(List.of(AssignrResilience.ASSIGNR_MEDIA_TYPE), defaulted.headers().allValues("Accept"));
    assertEquals(List.of("application/x-www-form-urlencoded"), defaulted.headers().allValues("Content-Type"));
    assertEquals("Bearer test-token", defaulted.headers().firstValue("Authorization").orElseThrow());
    HttpRequest callerSet = recorder.requests.get(1);
    assertEquals(List.of("application/json"), callerSet.headers().allValues("Accept"));
    assertEquals(List.of("application/json"), callerSet.headers().allValues("Content-Type"));
    HttpRequest read = recorder.requests.get(2);
    assertEquals(List.of(AssignrResilience.ASSIGNR_MEDIA_TYPE), read.headers().allValues("Accept"));
    assertTrue(read.headers().firstValue("Content-Type").isEmpty(), "no Content-Type on GET");
    assertEquals(List.of(), sim.journal().withoutAcceptHeader().stream()
        .filter(entry -> entry.method().equals("GET")).toList(), "the simulator saw Assignr's Accept");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyPostCarriesAContentType_withOrWithoutABody_asTheSimulatorSeesIt(Mode mode) throws Exception {
    HttpClient client = AssignrHttpClient.wrap(jdk, config(auto()).build());

    mode.call(client, request(CONFIRM).POST(BodyPublishers.noBody()).build(), BodyHandlers.discarding());
    mode.call(client, request(CONFIRM).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.noBody()).build(), BodyHandlers.discarding());
    mode.call(client, get(GAMES), BodyHandlers.discarding());

    assertEquals(Arrays.asList(AssignrResilience.ASSIGNR_MEDIA_TYPE, "application/x-www-form-urlencoded", null),
        sim.journal().entries().stream().map(JournalEntry::contentType).toList());
    assertEquals(List.of(), sim.journal().postsWithoutContentType());
    assertEquals(List.of(), sim.journal().withoutAcceptHeader());
  }

  static final String NEW_GAME = "{\"game\":{\"date\":\"2026-12-01\",\"start_time\":\"09:00\"}}";

  /** A body the JDK can publish once: the stream is handed out a single time. */
  static BodyPublisher singleUse(String text) {
    ByteArrayInputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    return BodyPublishers.ofInputStream(() -> in);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void replaysASingleUseBodyFromItsCopyAfterA503(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build());
    sim.script().serviceUnavailable(1);
    int games = sim.gameCount(1);

    HttpResponse<String> response = mode.call(client, request(GAMES).POST(singleUse(NEW_GAME)).build(),
        BodyHandlers.ofString());

    assertEquals(201, response.statusCode(), "the copy was sent again, whole: the game was created");
    assertEquals(2, served("POST", GAMES));
    assertEquals(games + 1, sim.gameCount(1));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void neverReplaysASingleUseBodyWithoutACopy(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build(),
        WrapOptions.builder().replayCopyLimit(0).build());
    sim.script().serviceUnavailable(1);

    HttpResponse<String> response = mode.call(client, request(GAMES).POST(singleUse(NEW_GAME)).build(),
        BodyHandlers.ofString());

    assertEquals(503, response.statusCode(), "a 503 is retried for POST, but not with a one-shot body");
    assertEquals(1, served("POST", GAMES));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sendsABodyOverTheLimitOnceAndWhole(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build(),
        WrapOptions.builder().replayCopyLimit(NEW_GAME.length() - 1).build());
    sim.script().serviceUnavailable(1);

    HttpResponse<String> refused = mode.call(client, request(GAMES).POST(singleUse(NEW_GAME)).build(),
        BodyHandlers.ofString());
    assertEquals(503, refused.statusCode(), "over the limit: sent once");
    assertEquals(1, served("POST", GAMES));

    int games = sim.gameCount(1);
    HttpResponse<String> created = mode.call(client, request(GAMES).POST(singleUse(NEW_GAME)).build(),
        BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), "the bytes read ahead, then the rest: the whole body");
    assertEquals(games + 1, sim.gameCount(1));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aBodyDeclaredOverTheLimitIsNeverReadAhead(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build(),
        WrapOptions.builder().replayCopyLimit(8).build());
    sim.script().serviceUnavailable(1);
    byte[] bytes = NEW_GAME.getBytes(StandardCharsets.UTF_8);
    BodyPublisher declared = BodyPublishers.fromPublisher(singleUse(NEW_GAME), bytes.length);

    HttpResponse<String> response = mode.call(client, request(GAMES).POST(declared).build(),
        BodyHandlers.ofString());

    assertEquals(503, response.statusCode());
    assertEquals(1, served("POST", GAMES));
    assertEquals(bytes.length, response.request().bodyPublisher().orElseThrow().contentLength());
    assertTrue(response.request().bodyPublisher().orElseThrow() == declared, "sent as it was");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void replaysABodyTheCallerMarkedReplayable(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build());
    sim.script().serviceUnavailable(1);
    HttpRequest marked = request(CONFIRM).POST(AssignrHttpClient.replayable(BodyPublishers.ofInputStream(
        () -> new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))))).build();

    HttpResponse<String> response = mode.call(client, marked, BodyHandlers.ofString());

    assertEquals(2, served("POST", CONFIRM));
    assertTrue(response.statusCode() < 500, "retried past the 503: " + response.statusCode());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theRequestTimeoutIsTheDeadlineOfTheWholeCall(Mode mode) throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).throwOnFailure(true).build());
    sim.script().respond(ScriptedResponse.status(429).header("X-Ratelimit-Reset-Seconds-Remaining", "30"));
    HttpRequest request = request(GAMES).timeout(Duration.ofSeconds(10)).build();

    RateLimitedException e = assertThrows(RateLimitedException.class,
        () -> mode.call(client, request, BodyHandlers.ofString()));

    assertEquals(StopReason.DEADLINE_EXCEEDED, e.stopReason());
    assertNotNull(e.retryAt(), "says when a retry would succeed");
    assertEquals(1, served("GET", GAMES));
    assertEquals(List.of(), waits(mode, vt), "never sleeps into a timeout");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachAttemptIsSentWithTheTimeLeft(Mode mode) throws Exception {
    VirtualTime vt = auto();
    RecordingHttpClient recorder = new RecordingHttpClient(jdk);
    HttpClient client = AssignrHttpClient.wrap(recorder, config(vt).build());
    sim.script().serviceUnavailable(1);

    mode.call(client, request(GAMES).timeout(Duration.ofSeconds(10)).build(), BodyHandlers.discarding());

    assertEquals(Duration.ofSeconds(10), recorder.requests.get(0).timeout().orElseThrow());
    assertEquals(Duration.ofMillis(9500), recorder.requests.get(1).timeout().orElseThrow(),
        "10 s less the 500 ms backoff");
  }
}
