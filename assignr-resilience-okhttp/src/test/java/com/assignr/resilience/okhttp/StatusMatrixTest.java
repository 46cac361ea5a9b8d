package com.assignr.resilience.okhttp;

import static com.assignr.resilience.okhttp.OkHttpHarness.RESET_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.BadRequestException;
import com.assignr.resilience.ConflictException;
import com.assignr.resilience.ForbiddenException;
import com.assignr.resilience.NotFoundException;
import com.assignr.resilience.PaymentRequiredException;
import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.ServerErrorException;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.UnauthorizedException;
import com.assignr.resilience.ValidationException;
import com.assignr.resilience.okhttp.OkHttpHarness.Mode;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every status of Assignr's seed list, for GET and POST, through both adapters, blocking and not:
 * what the caller gets back, how many requests the server saw, and the waits in between.
 */
@Timeout(60)
class StatusMatrixTest {
  @RegisterExtension
  static final OkHttpHarness h = new OkHttpHarness();

  static final int[] SEED = {200, 201, 204, 400, 401, 402, 403, 404, 409, 422, 429, 500, 503};

  /** What a status leads to with the default policy, jitter pinned at 0. */
  record Expected(int finalStatus, int requests, List<Duration> waits) {}

  static Expected expected(int status, String method) {
    switch (status) {
      case 429: // scripted with "1" s to the reset: 1 s + 1 s margin, for every method
        return new Expected(200, 2, List.of(Duration.ofSeconds(2)));
      case 503: // first backoff step, for every method
        return new Expected(200, 2, List.of(Duration.ofMillis(500)));
      case 500: // idempotent methods only
        return method.equals("GET") ? new Expected(200, 2, List.of(Duration.ofMillis(500)))
            : new Expected(500, 1, List.of());
      default: // successes and permanent errors: sent once, returned as is
        return new Expected(status, 1, List.of());
    }
  }

  static Stream<Arguments> everyStatus() {
    List<Arguments> rows = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (String method : List.of("GET", "POST")) {
        for (int status : SEED) rows.add(Arguments.of(mode, method, status));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} {1} answered {2}")
  @MethodSource("everyStatus")
  void returnsTheFinalResponse(Mode mode, String method, int status) throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    AssignrResilience resilience = h.resilience(time).allowInsecureLoopback(false).build();
    Expected expected = expected(status, method);
    if (status == 429) {
      h.sim().script().next(1).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "1"));
    } else {
      h.script(status);
    }
    h.script(200);

    try (Response response = mode.send(mode.calls(h.client(), resilience).newCall(request(method)))) {
      assertEquals(expected.finalStatus(), response.code());
    }

    assertEquals(expected.requests(), h.sim().journal().count(method, "/api/v2/sites/1/games"));
    assertEquals(expected.waits(), mode.waits(time));
    assertEquals(expected.requests(), h.sent.size());
    for (Request sent : h.sent) {
      assertEquals(AssignrResilience.ASSIGNR_MEDIA_TYPE, sent.header("Accept"));
      if (method.equals("POST")) {
        assertEquals(AssignrResilience.ASSIGNR_MEDIA_TYPE, sent.header("Content-Type"));
      }
    }
  }

  static Stream<Arguments> everyFailure() {
    List<Arguments> rows = new ArrayList<>();
    Object[][] table = {
        {400, BadRequestException.class}, {401, UnauthorizedException.class},
        {402, PaymentRequiredException.class}, {403, ForbiddenException.class},
        {404, NotFoundException.class}, {409, ConflictException.class},
        {422, ValidationException.class}, {500, ServerErrorException.class},
        {503, ServerErrorException.class}, {429, RateLimitedException.class}};
    for (Mode mode : Mode.values()) {
      for (Object[] row : table) rows.add(Arguments.of(mode, row[0], row[1]));
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} POST answered {1} throws {2}")
  @MethodSource("everyFailure")
  void throwsTypedExceptionsWhenAsked(Mode mode, int status, Class<? extends AssignrException> type)
      throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    AssignrResilience resilience = h.resilience(time).throwOnFailure(true).build();
    ScriptedResponse response = ScriptedResponse.status(status).body("{\"error\":\"scripted " + status + "\"}");
    if (status == 429) response = response.header(RESET_SECONDS, "3599"); // the hourly window: over the cap
    h.sim().script().next(status == 503 ? 5 : 1).respond(response);

    AssignrException e = assertThrows(type,
        () -> mode.send(mode.calls(h.client(), resilience).newCall(request("POST"))));

    assertEquals(status, e.status());
    assertTrue(e.bodyExcerpt().contains("scripted " + status), e.bodyExcerpt());
    assertTrue(e.getMessage().contains("POST"), e.getMessage());
    assertTrue(!e.getMessage().contains("test-token"), "no credentials in messages");
    int attempts = status == 503 ? 5 : 1;
    assertEquals(attempts, e.attempts());
    assertEquals(attempts, h.sim().journal().count());
    if (status == 429) {
      assertEquals(StopReason.WAIT_EXCEEDS_CAP, e.stopReason());
      assertEquals(time.instant().plusSeconds(3600), e.retryAt());
      assertEquals(List.of(), mode.waits(time));
    }
    if (status == 503) assertInstanceOf(ServerErrorException.class, e);
  }

  private static Request request(String method) {
    Request.Builder builder = h.request("/sites/1/games");
    if (method.equals("POST")) builder.post(RequestBody.create("{\"game\":{}}", null));
    return builder.build();
  }
}
