package com.assignr.resilience.feign;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.VirtualTime;
import feign.Feign;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * One HTTPS simulator on virtual time, and Feign clients built against it: with the capability
 * over either transport, or (for the control rows) the way Feign was used before it.
 */
final class FeignRig implements AutoCloseable {
  static final String TOKEN = "Bearer feign-test";
  static final String GAMES = "/api/v2/sites/1/games";
  static final long GAME_ID = 1001;
  static final String GAME = "/api/v2/games/" + GAME_ID;
  static final String NEW_GAME = "{\"game\":{\"date\":\"2026-12-01\",\"start_time\":\"09:00\","
      + "\"home_team\":\"Hawks\",\"away_team\":\"Owls\"}}";
  /** Assignr refuses a game without a date, time and teams: 422. */
  static final String INVALID_GAME = "{\"game\":{\"home_team\":\"Hawks\"}}";
  static final String RESET_SECONDS = "X-Ratelimit-Reset-Seconds-Remaining";
  static final Duration CONNECT = Duration.ofSeconds(5);

  /** Retry waits pass on this clock; the simulator's windows and journal read it too. */
  final VirtualTime time = VirtualTime.autoAdvancing();
  final AssignrSimulator sim = AssignrSimulator.builder().clock(time.clock()).https(true).start();
  /** The library's attempts (its listener's {@code onAttempt}), for every configuration made here. */
  final AtomicInteger attempts = new AtomicInteger();
  final ConnectionPool pool = new ConnectionPool(4, 1, TimeUnit.MINUTES);

  /** A fresh configuration on the rig's virtual time, jitter at its minimum, counting attempts. */
  AssignrResilience resilience(boolean throwOnFailure) {
    RetryListener counting = new RetryListener() {
      @Override
      public void onAttempt(RequestInfo request, int attempt) {
        attempts.incrementAndGet();
      }
    };
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).listener(counting)
        .throwOnFailure(throwOnFailure).build();
  }

  /** The simulator's API base, {@code https://localhost:<port>/api/v2}. */
  String base() {
    return sim.httpsBaseUrl();
  }

  /** An OkHttp client that trusts the simulator, on the rig's pool. */
  OkHttpClient okHttp() {
    return new OkHttpClient.Builder()
        .sslSocketFactory(sim.sslContext().getSocketFactory(), sim.trustManager())
        .connectionPool(pool)
        .build();
  }

  /** A JDK client that trusts the simulator, with a connect timeout (feign-java11 needs one). */
  HttpClient jdk() {
    return HttpClient.newBuilder().sslContext(sim.sslContext()).connectTimeout(CONNECT).build();
  }

  /** A Feign builder that sends the test's token, as a user's request interceptor would. */
  static Feign.Builder feign() {
    return Feign.builder().requestInterceptor(template -> template.header("Authorization", TOKEN));
  }

  /** The journal's count of arrivals of {@code method} at {@code path}. */
  int arrivals(String method, String path) {
    return sim.journal().count(method, path);
  }

  /** The body of an edit of game 1001 with a {@code lock_version} someone else already moved past. */
  String stalePut() {
    return "{\"game\":{\"lock_version\":" + (sim.lockVersion(GAME_ID) + 3)
        + ",\"date\":\"2026-12-02\",\"start_time\":\"10:00\"}}";
  }

  @Override
  public void close() {
    pool.evictAll();
    sim.close();
  }
}
