package com.assignr.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.assignr.resilience.spi.CallObservation;
import com.assignr.resilience.spi.CallObserver;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.RateLimitGate;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a {@link CallObserver} hears of a call, in order, on both loops: each attempt inside its
 * scope and with its propagation headers, each wait with its cause and length, one end.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallObserverTest {
  enum Mode { SYNC, ASYNC }

  static final URI GAMES = URI.create("https://api.assignr.com/api/v2/games/1");
  final VirtualTime time = VirtualTime.autoAdvancing();
  final List<String> log = Collections.synchronizedList(new ArrayList<>());

  /** Records every hook; its scope and headers are named after the attempt. */
  final CallObserver observer = (request, timeSource) -> {
    log.add("start " + request.method() + " " + request.host());
    return new CallObservation() {
      int current;

      @Override public Scope attemptStarted(int number) {
        current = number;
        log.add("attempt " + number);
        return () -> log.add("scope closed " + number);
      }

      @Override public Map<String, String> propagationHeaders() {
        return Map.of("traceparent", "attempt-" + current);
      }

      @Override public void attemptEnded(int number, Outcome outcome) {
        log.add("ended " + number + " " + outcome.status());
      }

      @Override public void gateWait(int nextAttempt, RateLimitGate gate, Duration wait) {
        log.add("gate wait " + nextAttempt + " " + wait + " " + gate.quotaKey());
      }

      @Override public void retryScheduled(int attempt, Outcome after, Decision.Retry retry) {
        log.add("backoff after " + attempt + " " + after.status() + " " + retry.delay());
      }

      @Override public void ended(int attempts, Decision.Stop stop, Outcome last) {
        log.add("end " + attempts + " " + stop.reason() + " " + last.status());
      }
    };
  };

  AssignrResilience resilience() {
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).listener(RetryListener.NONE)
        .quotaKey(QuotaKey.fixed("q")).observer(observer).build();
  }

  /** Sends a GET answered from {@code answers}; each attempt logs the header it was given. */
  FakeResponse call(AssignrResilience r, Mode mode, CallOptions options, FakeResponse... answers) throws Exception {
    Deque<FakeResponse> script = new ArrayDeque<>(List.of(answers));
    RequestInfo request = RequestInfo.of("GET", GAMES, true);
    if (mode == Mode.SYNC) {
      return r.executor().execute(request, options, attempt -> {
        log.add("sent with " + attempt.propagationHeaders().get("traceparent"));
        return script.poll();
      }, FakeResponse.ADAPTER);
    }
    CompletableFuture<FakeResponse> future = r.executor().executeAsync(request, options, attempt -> {
      log.add("sent with " + attempt.propagationHeaders().get("traceparent"));
      return CompletableFuture.completedFuture(script.poll());
    }, FakeResponse.ADAPTER);
    try {
      return future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetriedCallIsHeardAttemptByAttemptWithItsBackoffs(Mode mode) throws Exception {
    assertEquals(200, call(resilience(), mode, CallOptions.none().withCredentials("Bearer t"),
        FakeResponse.of(503), FakeResponse.of(503), FakeResponse.of(200)).status);

    assertEquals(List.of(
        "start GET api.assignr.com",
        "attempt 1", "sent with attempt-1", "scope closed 1", "ended 1 503", "backoff after 1 503 PT0.5S",
        "attempt 2", "sent with attempt-2", "scope closed 2", "ended 2 503", "backoff after 2 503 PT1S",
        "attempt 3", "sent with attempt-3", "scope closed 3", "ended 3 200",
        "end 3 SUCCEEDED 200"), log);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFirstTimeSuccessIsOneAttemptAndAnEnd(Mode mode) throws Exception {
    assertEquals(200, call(resilience(), mode, CallOptions.none().withCredentials("Bearer t"), FakeResponse.of(200)).status);

    assertEquals(List.of("start GET api.assignr.com", "attempt 1", "sent with attempt-1", "scope closed 1",
        "ended 1 200", "end 1 SUCCEEDED 200"), log);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aWaitInTheGateIsHeardAsSuchAndAGiveUpOnce(Mode mode) throws Exception {
    AssignrResilience r = resilience();
    // Another call's 429: it gives up at once, its deadline being shorter than the reset.
    assertEquals(429, call(r, mode, CallOptions.none().withCredentials("Bearer t").withTimeout(Duration.ofSeconds(1)),
        FakeResponse.of(429, "X-Ratelimit-Reset-Seconds-Remaining", "4")).status);
    log.clear();

    assertEquals(200, call(r, mode, CallOptions.none().withCredentials("Bearer t"), FakeResponse.of(200)).status);

    // 4 s + the 1 s margin, + 20 ms: the first waiter's place in the release order.
    assertEquals(List.of("start GET api.assignr.com", "gate wait 1 PT5.02S q", "attempt 1", "sent with attempt-1",
        "scope closed 1", "ended 1 200", "end 1 SUCCEEDED 200"), log);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCallThatRunsOutOfAttemptsEndsOnceWithTheReason(Mode mode) throws Exception {
    AssignrResilience r = resilience().toBuilder().policy(RetryPolicy.builder().maxAttempts(2).build()).build();

    assertEquals(503, call(r, mode, CallOptions.none().withCredentials("Bearer t"),
        FakeResponse.of(503), FakeResponse.of(503)).status);

    assertEquals("end 2 ATTEMPTS_EXHAUSTED 503", log.get(log.size() - 1));
    assertEquals(1, log.stream().filter(e -> e.startsWith("end ")).count());
    assertEquals(2, log.stream().filter(e -> e.startsWith("ended ")).count());
  }

  /** An Error an attempt throws: nothing answers it, the call is abandoned. */
  static final class Boom extends Error {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom", null, false, false);
    }
  }

  /**
   * An attempt that throws an Error (on the first attempt's fast path, or on a later one) still
   * ends its attempt and its call, once each, and the caller gets that very Error.
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void anAttemptThatThrowsAnErrorEndsItsAttemptAndItsCallOnce(Mode mode) throws Exception {
    for (int failing = 1; failing <= 2; failing++) {
      log.clear();
      Boom boom = new Boom();
      Deque<Object> script = new ArrayDeque<>();
      if (failing == 2) script.add(FakeResponse.of(503));
      script.add(boom);
      RequestInfo request = RequestInfo.of("GET", GAMES, true);
      CallOptions options = CallOptions.none().withCredentials("Bearer t");
      AssignrResilience r = resilience();
      Throwable thrown;
      if (mode == Mode.SYNC) {
        thrown = assertThrows(Boom.class, () -> r.executor().execute(request, options,
            attempt -> answer(script), FakeResponse.ADAPTER));
      } else {
        CompletableFuture<FakeResponse> future = r.executor().executeAsync(request, options,
            attempt -> CompletableFuture.completedFuture(answer(script)), FakeResponse.ADAPTER);
        thrown = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS)).getCause();
      }
      assertSame(boom, thrown, "the caller gets the attempt's Error as it was thrown");

      assertEquals("ended " + failing + " 0", log.get(log.size() - 2), log.toString());
      assertEquals("end " + failing + " NOT_RETRYABLE 0", log.get(log.size() - 1), log.toString());
      assertEquals(1, log.stream().filter(e -> e.startsWith("end ")).count(), log.toString());
      assertEquals(failing, log.stream().filter(e -> e.startsWith("ended ")).count(), log.toString());
      assertEquals(failing, log.stream().filter(e -> e.startsWith("scope closed ")).count(), log.toString());
    }
  }

  private static FakeResponse answer(Deque<Object> script) {
    Object next = script.poll();
    if (next instanceof Error) throw (Error) next;
    return (FakeResponse) next;
  }
}
