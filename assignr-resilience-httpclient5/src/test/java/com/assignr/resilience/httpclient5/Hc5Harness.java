package com.assignr.resilience.httpclient5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.RetryListener;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One HTTPS simulator per test class and, per test, a fresh connection pool that trusts it. After
 * every test that passed, the pool must have no connection leased: every response the library
 * discarded was released, and every one it returned was closed by the test.
 */
final class Hc5Harness implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  static final String TOKEN = "Bearer hc5-test-token";
  static final String RESET_SECONDS = "X-Ratelimit-Reset-Seconds-Remaining";
  static final String GAMES = "/api/v2/sites/1/games";
  static final String NEW_GAME = "{\"game\":{\"date\":\"2026-12-01\",\"start_time\":\"09:00\","
      + "\"home_team\":\"Hawks\",\"away_team\":\"Owls\"}}";
  static final ContentType ASSIGNR = ContentType.create(AssignrResilience.ASSIGNR_MEDIA_TYPE);

  private final SwitchableClock clock = new SwitchableClock();
  private final List<CloseableHttpClient> clients = new ArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private AssignrSimulator sim;
  private PoolingHttpClientConnectionManager pool;

  AssignrSimulator sim() {
    return sim;
  }

  /** This test's pool: every client the harness builds uses it. */
  PoolingHttpClientConnectionManager pool() {
    return pool;
  }

  /** Attempts the library made in this test (its listener's {@code onAttempt}). */
  int attempts() {
    return attempts.get();
  }

  /**
   * A configuration on {@code time}, jitter pinned at its minimum, counting attempts; the
   * simulator's clock follows {@code time} from now on.
   */
  AssignrResilience.Builder resilience(VirtualTime time) {
    clock.delegate = time.clock();
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).listener(new RetryListener() {
      @Override
      public void onAttempt(RequestInfo request, int attempt) {
        attempts.incrementAndGet();
      }
    });
  }

  /** A builder on this test's pool (which the harness closes), with nothing else set. */
  HttpClientBuilder builder() {
    return HttpClients.custom().setConnectionManager(pool).setConnectionManagerShared(true);
  }

  /** A client built as the README says, on this test's pool. */
  CloseableHttpClient configured(AssignrResilience resilience) {
    return keep(AssignrHttpClient5.configure(builder(), resilience).build());
  }

  /** Closes {@code client} after the test. */
  CloseableHttpClient keep(CloseableHttpClient client) {
    clients.add(client);
    return client;
  }

  String url(String path) {
    return sim.httpsBaseUrl() + path;
  }

  /** {@code https://localhost:<port>} and the API path, e.g. {@link #GAMES}. */
  String at(String apiPath) {
    return url(apiPath.substring("/api/v2".length()));
  }

  HttpGet get(String apiPath) {
    HttpGet get = new HttpGet(at(apiPath));
    get.setHeader("Authorization", TOKEN);
    return get;
  }

  HttpPost postGame() {
    HttpPost post = new HttpPost(at(GAMES));
    post.setHeader("Authorization", TOKEN);
    post.setEntity(new StringEntity(NEW_GAME, ASSIGNR));
    return post;
  }

  /** Sends {@code request} and reads the whole answer: its status, the response closed. */
  static int status(CloseableHttpClient client, ClassicHttpRequest request) throws IOException {
    return client.execute(request, response -> {
      EntityUtils.consume(response.getEntity());
      return response.getCode();
    });
  }

  /** Scripts the next responses, one status each. */
  void script(int... statuses) {
    for (int status : statuses) sim.script().next(1).respond(ScriptedResponse.status(status));
  }

  List<JournalEntry> journal() {
    return sim.journal().entries();
  }

  List<Integer> statuses() {
    return journal().stream().map(JournalEntry::status).toList();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    sim = AssignrSimulator.builder().clock(clock).https(true).start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    sim.reset();
    attempts.set(0);
    clock.delegate = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setTlsSocketStrategy(new DefaultClientTlsStrategy(sim.sslContext()))
        .build();
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      if (context.getExecutionException().isEmpty()) {
        PoolStats stats = pool.getTotalStats();
        assertEquals(0, stats.getLeased(), "connections still leased, a response was leaked: " + stats);
      }
    } finally {
      for (CloseableHttpClient client : clients) client.close(CloseMode.IMMEDIATE);
      clients.clear();
      pool.close(CloseMode.IMMEDIATE);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (sim != null) sim.close();
  }

  /** The simulator's clock, pointed at each test's virtual time. */
  private static final class SwitchableClock extends Clock {
    volatile Clock delegate = Clock.systemUTC();

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public Instant instant() { return delegate.instant(); }
  }
}
