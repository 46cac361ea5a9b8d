package com.assignr.resilience.benchmarks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Decision;
import com.assignr.resilience.Outcome;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.okhttp.FailsafeCall;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The ways of calling Assignr that the race compares. Each gets its own OkHttp client (same
 * defaults for all) and its own simulator, and sends the same GETs from the same number of threads.
 */
enum RaceStrategy {
  /** Our interceptor with the shared gate, tuned for the race (see {@link RaceSettings}). */
  OURS_GATE("ours-gate") {
    @Override
    Caller create(RaceSettings s, OkHttpClient base) {
      return ours(s.tunedResilience(), base);
    }
  },
  /** Our interceptor with the gate and every setting at its default. */
  OURS_GATE_DEFAULTS("ours-gate-defaults") {
    @Override
    Caller create(RaceSettings s, OkHttpClient base) {
      return ours(AssignrResilience.builder(), base);
    }
  },
  /** Our interceptor with the gate off: each thread retries its own 429s after the reset. */
  OURS_NO_GATE("ours-no-gate") {
    @Override
    Caller create(RaceSettings s, OkHttpClient base) {
      return ours(AssignrResilience.builder().gate(com.assignr.resilience.GatePolicy.disabled()), base);
    }
  },
  /**
   * Failsafe's {@code FailsafeCall} with the best delay function a careful user would write: the
   * reset seconds from {@code X-Ratelimit-Reset-Seconds-Remaining}, plus 1 s because Assignr
   * rounds them down, plus up to 1 s of jitter (our defaults' margin and jitter); backoff for 503.
   */
  FAILSAFE("failsafe-reset-header") {
    @Override
    Caller create(RaceSettings s, OkHttpClient base) {
      RetryPolicy<Response> policy = RetryPolicy.<Response>builder()
          .handleResultIf(r -> r.code() == 429 || r.code() == 503)
          .withBackoff(Duration.ofMillis(500), s.backoffMax())
          .withDelayFn(ctx -> {
            Response last = ctx.getLastResult();
            long millis = last == null ? -1 : resetDelayMillis(last);
            return millis < 0 ? null : Duration.ofMillis(millis); // null: the backoff applies
          })
          .withMaxRetries(-1)
          .withMaxDuration(s.timeLimit())
          .build();
      return new Caller(base) {
        @Override
        Response send(Request request) throws IOException {
          return FailsafeCall.with(policy).compose(client.newCall(request)).execute();
        }
      };
    }
  },
  /**
   * A Resilience4j {@code Retry} with an {@code IntervalBiFunction} reading the same header the
   * same way (reset + 1 s + up to 1 s jitter), exponential backoff otherwise.
   */
  RESILIENCE4J("resilience4j-reset-header") {
    @Override
    Caller create(RaceSettings s, OkHttpClient base) {
      long maxBackoff = s.backoffMax().toMillis();
      Retry retry = Retry.of("race", RetryConfig.<Response>custom()
          .maxAttempts(1_000)
          .retryOnResult(r -> r.code() == 429 || r.code() == 503)
          .intervalBiFunction((Integer attempt, Either<Throwable, Response> outcome) -> {
            long millis = outcome.isRight() ? resetDelayMillis(outcome.get()) : -1;
            return millis >= 0 ? millis : Math.min(maxBackoff, 500L << Math.min(attempt - 1, 20));
          })
          .consumeResultBeforeRetryAttempt((attempt, r) -> r.close())
          .failAfterMaxAttempts(false)
          .build());
      return new Caller(base) {
        @Override
        Response send(Request request) throws Exception {
          return retry.executeCallable(() -> client.newCall(request).execute());
        }
      };
    }
  },
  /** Exponential backoff that ignores the headers: Failsafe, 500 ms doubling to a cap, 25 % jitter. */
  EXPONENTIAL("exponential-backoff") {
    @Override
    Caller create(RaceSettings s, OkHttpClient base) {
      RetryPolicy<Response> policy = RetryPolicy.<Response>builder()
          .handleResultIf(r -> r.code() == 429 || r.code() == 503)
          .withBackoff(Duration.ofMillis(500), s.backoffMax())
          .withJitter(0.25)
          .withMaxRetries(-1)
          .withMaxDuration(s.timeLimit())
          .build();
      return new Caller(base) {
        @Override
        Response send(Request request) throws IOException {
          return FailsafeCall.with(policy).compose(client.newCall(request)).execute();
        }
      };
    }
  },
  /** One attempt per request. */
  NO_RETRY("no-retry") {
    @Override
    Caller create(RaceSettings s, OkHttpClient base) {
      return new Caller(base) {
        @Override
        Response send(Request request) throws IOException {
          return client.newCall(request).execute();
        }
      };
    }
  };

  final String label;

  RaceStrategy(String label) {
    this.label = label;
  }

  abstract Caller create(RaceSettings settings, OkHttpClient base);

  /** Sends one request its way and reports the final status. */
  abstract static class Caller {
    final OkHttpClient client;
    final LongAdder retries = new LongAdder();
    final LongAdder gateWaits = new LongAdder();
    /** How calls that did not end in a 200 ended: a status, or an exception's class and message. */
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    Caller(OkHttpClient client) {
      this.client = client;
    }

    abstract Response send(Request request) throws Exception;

    /** The final status, or -1 when the call threw. */
    int call(Request request) {
      try (Response response = send(request)) {
        if (response.code() != 200) failure("HTTP " + response.code());
        return response.code();
      } catch (Exception e) {
        failure(e.getClass().getSimpleName() + ": " + e.getMessage());
        return -1;
      }
    }

    void failure(String what) {
      failures.computeIfAbsent(what, k -> new LongAdder()).increment();
    }
  }

  private static Caller ours(AssignrResilience.Builder builder, OkHttpClient base) {
    Caller[] self = new Caller[1];
    RetryListener counting = new RetryListener() {
      @Override
      public void onRetryScheduled(RequestInfo request, int attempt, Decision.Retry decision) {
        self[0].retries.increment();
      }

      @Override
      public void onGateWait(RequestInfo request, int attempt, Duration wait) {
        self[0].gateWaits.increment();
      }

      @Override
      public void onGiveUp(RequestInfo request, int attempts, Duration elapsed, Decision.Stop stop, Outcome last) {
        self[0].failure("gave up: " + stop.reason() + " after " + attempts + " attempts on " + last
            + " " + last.rateLimit());
      }
    };
    AssignrResilience resilience = builder.allowInsecureLoopback(true).listener(counting).build();
    OkHttpClient client = base.newBuilder().addInterceptor(AssignrInterceptor.create(resilience)).build();
    self[0] = new Caller(client) {
      @Override
      Response send(Request request) throws IOException {
        return this.client.newCall(request).execute();
      }
    };
    return self[0];
  }

  /**
   * What a careful user computes for a 429: the header's seconds, plus 1 s (they are rounded
   * down), plus up to 1 s of jitter; -1 when it is not a 429 with the header.
   */
  static long resetDelayMillis(Response response) {
    if (response.code() != 429) return -1;
    String value = response.header("X-Ratelimit-Reset-Seconds-Remaining");
    if (value == null) return -1;
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds < 0 ? -1 : seconds * 1000 + 1000 + ThreadLocalRandom.current().nextLong(1000);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
