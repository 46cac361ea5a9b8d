package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.BadRequestException;
import com.assignr.resilience.ConflictException;
import com.assignr.resilience.ForbiddenException;
import com.assignr.resilience.NotFoundException;
import com.assignr.resilience.PaymentRequiredException;
import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.ServerErrorException;
import com.assignr.resilience.UnauthorizedException;
import com.assignr.resilience.ValidationException;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.ScriptedResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every status of the seed document, for GET and POST, sync and async, the server answering it
 * every time: what comes back, how many requests the server saw, and that the caller's handler
 * saw exactly the response returned.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SeedStatusTest extends SimulatorTestBase {
  static final int[] SEED = {200, 201, 204, 400, 401, 402, 403, 404, 409, 422, 429, 500, 503};
  static final int MAX_ATTEMPTS = 5;

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (String method : List.of("GET", "POST")) {
        for (int status : SEED) rows.add(Arguments.of(mode, method, status));
      }
    }
    return rows.stream();
  }

  /** Requests the server sees when it answers {@code status} every time. */
  static int expectedAttempts(String method, int status) {
    if (status == 429 || status == 503) return MAX_ATTEMPTS; // every method
    if (status == 500) return method.equals("GET") ? MAX_ATTEMPTS : 1; // idempotent only
    return 1; // success, or permanent
  }

  static String bodyFor(int status) {
    return status == 204 ? "" : "{\"status\":" + status + "}";
  }

  static ScriptedResponse answer(int status) {
    ScriptedResponse r = ScriptedResponse.status(status);
    return status == 204 ? r : r.header("Content-Type", "application/json").body(bodyFor(status));
  }

  /** Wraps a handler and records the status of every response it was asked to read. */
  static <T> BodyHandler<T> seeing(List<Integer> seen, BodyHandler<T> handler) {
    return info -> {
      seen.add(info.statusCode());
      return handler.apply(info);
    };
  }

  HttpRequest requestFor(String method) {
    return method.equals("GET") ? get(GAMES) : post(CONFIRM, "{}");
  }

  @ParameterizedTest(name = "{0} {1} answered {2} every time")
  @MethodSource("table")
  void returnsTheFinalResponseAfterTheAllowedAttempts(Mode mode, String method, int status)
      throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).build());
    sim.script().on(null, null).always().respond(answer(status));
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());

    HttpResponse<String> response = mode.call(client, requestFor(method), seeing(seen, BodyHandlers.ofString()));

    assertEquals(status, response.statusCode());
    assertEquals(bodyFor(status), response.body());
    assertEquals(List.of(status), seen, "the caller's handler read only the returned response");
    String path = method.equals("GET") ? GAMES : CONFIRM;
    assertEquals(expectedAttempts(method, status), served(method, path), "requests the server saw");
  }

  static final Map<Integer, Class<? extends AssignrException>> TYPED = Map.ofEntries(
      Map.entry(400, BadRequestException.class), Map.entry(401, UnauthorizedException.class),
      Map.entry(402, PaymentRequiredException.class), Map.entry(403, ForbiddenException.class),
      Map.entry(404, NotFoundException.class), Map.entry(409, ConflictException.class),
      Map.entry(422, ValidationException.class), Map.entry(429, RateLimitedException.class),
      Map.entry(500, ServerErrorException.class), Map.entry(503, ServerErrorException.class));

  static Stream<Arguments> failures() {
    List<Arguments> rows = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (String method : List.of("GET", "POST")) {
        TYPED.keySet().stream().sorted().forEach(status -> rows.add(Arguments.of(mode, method, status)));
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} {1} answered {2}, exceptions on")
  @MethodSource("failures")
  void throwsTheTypedExceptionWithABodyExcerptWhenConfigured(Mode mode, String method, int status)
      throws Exception {
    VirtualTime vt = auto();
    HttpClient client = AssignrHttpClient.wrap(jdk, config(vt).throwOnFailure(true).build());
    sim.script().on(null, null).always().respond(answer(status));
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());

    AssignrException e = assertThrows(AssignrException.class,
        () -> mode.call(client, requestFor(method), seeing(seen, BodyHandlers.ofString())));

    assertInstanceOf(TYPED.get(status), e);
    assertEquals(status, e.status());
    assertEquals(expectedAttempts(method, status), e.attempts());
    assertEquals(bodyFor(status), e.bodyExcerpt());
    assertTrue(seen.isEmpty(), "the caller's handler never read a response that was not returned");
  }
}
