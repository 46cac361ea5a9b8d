package com.assignr.resilience.httpclient5;

import com.assignr.resilience.spi.Authorizer;
import com.assignr.resilience.spi.CancellationSignal;
import com.assignr.resilience.TimeSource;
import static com.assignr.resilience.httpclient5.Hc5Harness.ASSIGNR;
import static com.assignr.resilience.httpclient5.Hc5Harness.GAMES;
import static com.assignr.resilience.httpclient5.Hc5Harness.NEW_GAME;
import static com.assignr.resilience.httpclient5.Hc5Harness.RESET_SECONDS;
import static com.assignr.resilience.httpclient5.Hc5Harness.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.NotFoundException;
import com.assignr.resilience.RetryPolicy;
import com.assignr.resilience.ServerErrorException;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.TransportException;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.function.Supplier;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a call through a configured client does, one rule at a time, on virtual time. */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class AdapterBehaviourTest {
  @RegisterExtension
  static final Hc5Harness h = new Hc5Harness();

  @Test
  void aRateLimitedGetWaitsForTheResetPlusTheMarginThenSucceeds() throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    CloseableHttpClient client = h.configured(h.resilience(time).build());
    h.sim().script().next(1).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "7"));

    assertEquals(200, Hc5Harness.status(client, h.get(GAMES)));

    // 7 s to the reset + the 1 s margin + jitter drawn at 0; the gate, closed as long, adds nothing.
    assertEquals(List.of(Duration.ofSeconds(8)), time.sleeps());
    List<JournalEntry> journal = h.journal();
    assertEquals(List.of(429, 200), h.statuses());
    assertEquals(Duration.ofSeconds(8), Duration.between(journal.get(0).arrivedAt(), journal.get(1).arrivedAt()));
  }

  @Test
  void aPostAnswered503BacksOffExponentiallyAndIsSentAgain() throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    CloseableHttpClient client = h.configured(h.resilience(time).build());
    h.sim().script().serviceUnavailable(3);
    int before = h.sim().gameCount(1);

    assertEquals(201, Hc5Harness.status(client, h.postGame()));

    assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)), time.sleeps());
    assertEquals(List.of(503, 503, 503, 201), h.statuses());
    assertEquals(1, h.sim().gameCount(1) - before, "one game created");
  }

  /**
   * The trade-off of turning HttpClient's retries off: it resent a GET that failed on a pooled
   * connection at once; now the library does, after its backoff, as for any I/O failure of a GET.
   */
  @Test
  void aGetWhoseAnswerIsLostOnAPooledConnectionIsRetriedAfterTheBackoff() throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    CloseableHttpClient client = h.configured(h.resilience(time).build());
    assertEquals(200, Hc5Harness.status(client, h.get("/api/v2/current_account")), "pools a connection");
    h.sim().script().on("GET", GAMES).next(1).processThenClose();

    assertEquals(200, Hc5Harness.status(client, h.get(GAMES)));

    assertEquals(2, h.sim().journal().count("GET", GAMES));
    assertEquals(3, h.attempts(), "the warm-up, then two attempts of the GET");
    assertEquals(List.of(Duration.ofMillis(500)), time.sleeps());
  }

  @Test
  void assignrsHeadersAreAddedOnlyWhenTheRequestHasNone() throws Exception {
    // The last request interceptor sees each request as it goes on the wire.
    List<org.apache.hc.core5.http.HttpRequest> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    CloseableHttpClient client = h.keep(AssignrHttpClient5.configure(h.builder()
        .addRequestInterceptorLast((request, entity, context) -> sent.add(request)),
        h.resilience(VirtualTime.autoAdvancing()).build()).build());

    Hc5Harness.status(client, h.get(GAMES));
    assertEquals(AssignrResilience.ASSIGNR_MEDIA_TYPE, header(sent, "Accept"));

    HttpGet own = h.get(GAMES);
    own.setHeader("Accept", "application/json");
    Hc5Harness.status(client, own);
    assertEquals("application/json", header(sent, "Accept"));

    HttpPost untyped = new HttpPost(h.at(GAMES));
    untyped.setHeader("Authorization", TOKEN);
    untyped.setEntity(new ByteArrayEntity(NEW_GAME.getBytes(StandardCharsets.UTF_8), null));
    assertEquals(201, Hc5Harness.status(client, untyped));
    assertEquals(AssignrResilience.ASSIGNR_MEDIA_TYPE, header(sent, "Content-Type"));

    HttpPost typed = new HttpPost(h.at(GAMES));
    typed.setHeader("Authorization", TOKEN);
    typed.setEntity(new ByteArrayEntity(NEW_GAME.getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
    Hc5Harness.status(client, typed);
    assertTrue(header(sent, "Content-Type").startsWith("application/json"), "the entity's own type");
    assertFalse(untyped.containsHeader("Accept") || untyped.containsHeader("Content-Type"),
        "the caller's request object is left as it was (the chain works on its own copy)");
    assertEquals(4, h.sim().journal().count());
  }

  @Test
  void everyPostCarriesAContentType_withOrWithoutAnEntity_asTheSimulatorSeesIt() throws Exception {
    CloseableHttpClient client = h.configured(h.resilience(VirtualTime.autoAdvancing()).build());
    String confirm = "/api/v2/assignments/1/confirm";

    HttpPost bare = new HttpPost(h.at(confirm));
    bare.setHeader("Authorization", TOKEN);
    Hc5Harness.status(client, bare);
    HttpPost own = new HttpPost(h.at(confirm));
    own.setHeader("Authorization", TOKEN);
    own.setHeader("Content-Type", "application/x-www-form-urlencoded");
    Hc5Harness.status(client, own);
    Hc5Harness.status(client, h.get(GAMES));

    assertEquals(java.util.Arrays.asList(AssignrResilience.ASSIGNR_MEDIA_TYPE, "application/x-www-form-urlencoded", null),
        h.sim().journal().entries().stream().map(JournalEntry::contentType).toList());
    assertEquals(List.of(), h.sim().journal().postsWithoutContentType(), "Assignr asks a Content-Type of every POST");
  }

  /** The header of the last request sent: exactly one value. */
  private static String header(List<org.apache.hc.core5.http.HttpRequest> sent, String name) {
    Header[] values = sent.get(sent.size() - 1).getHeaders(name);
    assertEquals(1, values.length, name + " sent once");
    return values[0].getValue();
  }

  @Test
  void plainHttpIsRefusedBeforeAnythingIsSent() {
    CloseableHttpClient client = h.configured(h.resilience(VirtualTime.autoAdvancing()).build());
    HttpPost post = new HttpPost(h.sim().httpBaseUrl() + "/sites/1/games");
    post.setEntity(new ByteArrayEntity(NEW_GAME.getBytes(StandardCharsets.UTF_8), ASSIGNR));

    assertThrows(InsecureRequestException.class, () -> Hc5Harness.status(client, post));

    assertEquals(0, h.sim().journal().count());
    assertEquals(0, h.attempts());
  }

  /** A request entity HttpClient cannot send twice, in each shape the adapter treats apart. */
  enum SingleUse {
    STREAM_WITH_LENGTH(true, 2, 201) {
      @Override HttpEntity entity(byte[] body) {
        return new InputStreamEntity(new ByteArrayInputStream(body), body.length, ASSIGNR);
      }
    },
    STREAM_CHUNKED(true, 2, 201) {
      @Override HttpEntity entity(byte[] body) {
        return new InputStreamEntity(new ByteArrayInputStream(body), -1, ASSIGNR);
      }
    },
    /** More than the copy limit of 16 bytes, no length declared: read up to the limit, then sent once. */
    STREAM_CHUNKED_OVER_THE_LIMIT(false, 1, 503) {
      @Override HttpEntity entity(byte[] body) {
        return new InputStreamEntity(new ByteArrayInputStream(body), -1, ASSIGNR);
      }
    },
    STREAM_WITH_LENGTH_OVER_THE_LIMIT(false, 1, 503) {
      @Override HttpEntity entity(byte[] body) {
        return new InputStreamEntity(new ByteArrayInputStream(body), body.length, ASSIGNR);
      }
    },
    WRITE_ONLY_WITH_LENGTH(true, 2, 201) {
      @Override HttpEntity entity(byte[] body) {
        return new WriteOnce(body, body.length);
      }
    },
    WRITE_ONLY_WITHOUT_LENGTH(true, 1, 503) {
      @Override HttpEntity entity(byte[] body) {
        return new WriteOnce(body, -1);
      }
    };

    final boolean withinLimit;
    final int arrivals;
    final int status;

    SingleUse(boolean withinLimit, int arrivals, int status) {
      this.withinLimit = withinLimit;
      this.arrivals = arrivals;
      this.status = status;
    }

    abstract HttpEntity entity(byte[] body);
  }

  @ParameterizedTest
  @EnumSource(SingleUse.class)
  void aSingleUseEntityIsSentAgainAfterA503OnlyFromACopyTakenBeforeTheCall(SingleUse shape) throws Exception {
    HttpClient5Options options = HttpClient5Options.builder()
        .replayCopyLimit(shape.withinLimit ? HttpClient5Options.DEFAULT_REPLAY_COPY_LIMIT : 16).build();
    CloseableHttpClient client = h.keep(AssignrHttpClient5.configure(h.builder(),
        h.resilience(VirtualTime.autoAdvancing()).build(), options).build());
    h.script(503);
    HttpPost post = new HttpPost(h.at(GAMES));
    post.setHeader("Authorization", TOKEN);
    post.setEntity(shape.entity(NEW_GAME.getBytes(StandardCharsets.UTF_8)));
    int before = h.sim().gameCount(1);

    assertEquals(shape.status, Hc5Harness.status(client, post));

    assertEquals(shape.arrivals, h.sim().journal().count("POST", GAMES));
    assertEquals(shape.status == 201 ? 1 : 0, h.sim().gameCount(1) - before, "games created: the body arrived whole");
  }

  /** Spring's streaming bodies have this shape: written once, never read. */
  static final class WriteOnce implements HttpEntity {
    private final byte[] body;
    private final long length;
    private final AtomicInteger writes = new AtomicInteger();

    WriteOnce(byte[] body, long length) {
      this.body = body;
      this.length = length;
    }

    @Override public boolean isRepeatable() { return false; }
    @Override public InputStream getContent() { throw new UnsupportedOperationException(); }
    @Override public boolean isStreaming() { return true; }
    @Override public Supplier<List<? extends Header>> getTrailers() { return null; }
    @Override public long getContentLength() { return length; }
    @Override public String getContentType() { return ASSIGNR.toString(); }
    @Override public String getContentEncoding() { return null; }
    @Override public boolean isChunked() { return length < 0; }
    @Override public Set<String> getTrailerNames() { return Set.of(); }
    @Override public void close() { }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      if (writes.incrementAndGet() > 1) throw new IllegalStateException("written twice");
      out.write(body);
    }
  }

  @Test
  void withThrowOnFailureTheCallerGetsTypedExceptionsWithAnExcerpt() {
    VirtualTime time = VirtualTime.autoAdvancing();
    CloseableHttpClient client = h.configured(h.resilience(time).throwOnFailure(true).build());
    h.sim().script().on("GET", GAMES).always().respond(ScriptedResponse.status(500).body("{\"error\":\"kaboom\"}"));

    ServerErrorException e = assertThrows(ServerErrorException.class, () -> Hc5Harness.status(client, h.get(GAMES)));
    assertEquals(500, e.status());
    assertEquals(5, e.attempts());
    assertEquals(StopReason.ATTEMPTS_EXHAUSTED, e.stopReason());
    assertTrue(e.bodyExcerpt().contains("kaboom"), e.bodyExcerpt());
    assertEquals(5, h.sim().journal().count("GET", GAMES));

    NotFoundException missing = assertThrows(NotFoundException.class,
        () -> Hc5Harness.status(client, h.get("/api/v2/games/987654321")));
    assertEquals(404, missing.status());
    assertEquals(1, missing.attempts());
  }

  @Test
  void aRedirectIsReturnedAsItIsNeverFollowed() throws Exception {
    CloseableHttpClient client = h.configured(h.resilience(VirtualTime.autoAdvancing()).build());
    h.sim().script().on("POST", GAMES).next(1)
        .respond(ScriptedResponse.status(302).header("Location", h.url("/current_account")));

    assertEquals(302, Hc5Harness.status(client, h.postGame()));

    assertEquals(1, h.sim().journal().count());
    assertEquals(0, h.sim().journal().count("GET", "/api/v2/current_account"));
  }

  @Test
  void aClientConfiguredTwiceFailsItsFirstCallBeforeSendingAnything() {
    AssignrResilience resilience = h.resilience(VirtualTime.autoAdvancing()).build();
    CloseableHttpClient client = h.keep(AssignrHttpClient5.configure(
        AssignrHttpClient5.configure(h.builder(), resilience), resilience).build());

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Hc5Harness.status(client, h.get(GAMES)));

    assertTrue(e.getMessage().contains("configure"), e.getMessage());
    assertEquals(0, h.sim().journal().count());
  }

  @Test
  void cancellingTheRequestEndsABackoffAtOnceAndNothingMoreIsSent() throws Exception {
    VirtualTime time = VirtualTime.manual();
    CloseableHttpClient client = h.configured(h.resilience(time).build());
    h.script(503);
    HttpGet get = h.get(GAMES);
    CompletableFuture<Integer> call = inBackground(() -> Hc5Harness.status(client, get), null);
    assertTrue(time.awaitSleepers(1, Duration.ofSeconds(10)), "the call waits in its backoff");

    get.cancel();

    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    assertInstanceOf(InterruptedIOException.class, e.getCause());
    assertEquals(1, h.sim().journal().count());
  }

  @Test
  void interruptingTheCallerEndsABackoffAtOnceAndKeepsTheFlag() throws Exception {
    VirtualTime time = VirtualTime.manual();
    CloseableHttpClient client = h.configured(h.resilience(time).build());
    h.script(503);
    AtomicBoolean flagAfter = new AtomicBoolean();
    Thread[] caller = new Thread[1];
    CompletableFuture<Integer> call = inBackground(() -> Hc5Harness.status(client, h.get(GAMES)), flagAfter, caller);
    assertTrue(time.awaitSleepers(1, Duration.ofSeconds(10)), "the call waits in its backoff");

    caller[0].interrupt();

    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    assertInstanceOf(InterruptedIOException.class, e.getCause());
    assertTrue(flagAfter.get(), "the caller's interrupt flag is kept");
    assertEquals(1, h.sim().journal().count());
  }

  /** A blocking call that returns a status. */
  interface Call {
    int run() throws Exception;
  }

  private static CompletableFuture<Integer> inBackground(Call work, AtomicBoolean flagAfter, Thread... holder) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      Integer status = null;
      Throwable failure = null;
      try {
        status = work.run();
      } catch (Throwable t) {
        failure = t;
      }
      // Read before the future completes: the test looks at it as soon as it does.
      if (flagAfter != null) flagAfter.set(Thread.currentThread().isInterrupted());
      if (failure == null) result.complete(status);
      else result.completeExceptionally(failure);
    }, "hc5-test-caller");
    if (holder.length > 0) holder[0] = thread;
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  @Test
  void aConnectionNeverEstablishedIsRetriedEvenForAPost() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    CloseableHttpClient client = h.configured(h.resilience(VirtualTime.autoAdvancing()).build());
    HttpPost post = h.postGame();
    post.setUri(java.net.URI.create("https://localhost:" + closedPort + GAMES));

    TransportException e = assertThrows(TransportException.class, () -> Hc5Harness.status(client, post));

    assertEquals(5, e.attempts(), "a connection refused is retried for every method");
    assertEquals(StopReason.ATTEMPTS_EXHAUSTED, e.stopReason());
  }

  /**
   * HttpClient reports a pooled connection that never came as an InterruptedIOException, which core
   * would take for a cancellation: the adapter reports it as nothing sent, retried for every method.
   */
  @Test
  void aWaitForAPooledConnectionThatRunsOutIsRetriedAsNothingSent() throws Exception {
    try (PoolingHttpClientConnectionManager one = PoolingHttpClientConnectionManagerBuilder.create()
        .setTlsSocketStrategy(new DefaultClientTlsStrategy(h.sim().sslContext()))
        .setMaxConnTotal(1).setMaxConnPerRoute(1).build()) {
      CloseableHttpClient client = h.keep(AssignrHttpClient5.configure(
          h.builder().setConnectionManager(one), h.resilience(VirtualTime.autoAdvancing()).build()).build());
      ClassicHttpResponse held = client.executeOpen(null, h.get(GAMES), null);
      try {
        HttpGet second = h.get(GAMES);
        second.setConfig(RequestConfig.custom().setConnectionRequestTimeout(Timeout.ofMilliseconds(20)).build());

        TransportException e = assertThrows(TransportException.class, () -> Hc5Harness.status(client, second));

        assertEquals(5, e.attempts());
        assertTrue(causes(e).stream().anyMatch(ConnectionRequestTimeoutException.class::isInstance), causes(e).toString());
        assertEquals(1, h.sim().journal().count(), "only the held request arrived");
      } finally {
        EntityUtils.consume(held.getEntity());
        held.close();
      }
      assertEquals(0, one.getTotalStats().getLeased());
      one.close(CloseMode.IMMEDIATE);
    }
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> all = new java.util.ArrayList<>();
    for (Throwable t = e; t != null && all.size() < 16; t = t.getCause()) all.add(t);
    return all;
  }

  @Test
  void anHttpExceptionIsThrownAsHttpClientThrowsItNeverRetried() {
    CloseableHttpClient client = h.keep(AssignrHttpClient5.configure(h.builder()
        .addRequestInterceptorFirst((request, entity, context) -> {
          throw new ProtocolException("refused by a request interceptor");
        }), h.resilience(VirtualTime.autoAdvancing()).build()).build());

    ClientProtocolException e = assertThrows(ClientProtocolException.class, () -> Hc5Harness.status(client, h.get(GAMES)));

    assertInstanceOf(ProtocolException.class, e.getCause());
    assertEquals(1, h.attempts());
    assertEquals(0, h.sim().journal().count());
  }

  /**
   * HttpClient has no deadline for a call; the policy's is cut into the attempt's response timeout,
   * so an answer that takes 3 s (real time) ends the call after the 300 ms the policy allows.
   */
  @Test
  void theDeadlineCutsAnAttemptsResponseTimeout() {
    AssignrResilience resilience = h.resilience(VirtualTime.autoAdvancing())
        .policy(RetryPolicy.defaults().toBuilder().totalTimeout(Duration.ofMillis(300)).build()).build();
    CloseableHttpClient client = h.keep(AssignrHttpClient5.configure(h.builder()
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30)).build()),
        resilience).build());
    h.sim().script().on("POST", GAMES).next(1).delay(Duration.ofSeconds(3));

    long start = System.nanoTime();
    TransportException e = assertThrows(TransportException.class, () -> Hc5Harness.status(client, h.postGame()));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertInstanceOf(SocketTimeoutException.class, e.getCause());
    assertTrue(tookMillis < 2500, "gave up after " + tookMillis + " ms, not after the 3 s answer or the 30 s timeout");
  }

  /** On manual time: auto-advancing time would run the token's refresh task, hours ahead, at once. */
  @Test
  void aTokenTheLibraryManagesIsSentWithEachAttempt() throws Exception {
    VirtualTime time = VirtualTime.manual();
    Authorizer credentials = new Authorizer() { // as assignr-resilience-oauth's Credentials holding a token
      @Override public String authorization(long maxWaitNanos, CancellationSignal cancellation) {
        return "Bearer managed-token";
      }
      @Override public CompletableFuture<String> authorizationAsync(long maxWaitNanos) {
        return CompletableFuture.completedFuture("Bearer managed-token");
      }
      @Override public boolean invalidate(String authorization) { return false; }
      @Override public String quotaKey() { return "assignr-client#hc5-test"; }
      @Override public TimeSource timeSource() { return time; }
    };
    List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    CloseableHttpClient client = h.keep(AssignrHttpClient5.configure(h.builder()
        .addRequestInterceptorLast((request, entity, context) -> sent.add(request.getFirstHeader("Authorization").getValue())),
        h.resilience(time).credentials(credentials).build()).build());
    h.script(503);

    CompletableFuture<Integer> call = inBackground(() -> Hc5Harness.status(client, new HttpGet(h.at(GAMES))), null);
    assertTrue(time.awaitSleepers(1, Duration.ofSeconds(10)), "the call waits in its backoff");
    time.advance(Duration.ofSeconds(1));

    assertEquals(200, call.get(10, TimeUnit.SECONDS));
    assertEquals(List.of("Bearer managed-token", "Bearer managed-token"), sent);
    assertTrue(h.journal().stream().allMatch(JournalEntry::authorizationPresent));
  }

  @Test
  void invalidOptionsAreRefusedNamingTheSettingAndItsValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HttpClient5Options.builder().replayCopyLimit(-1).build());
    assertTrue(e.getMessage().contains("replayCopyLimit") && e.getMessage().contains("-1"), e.getMessage());
    assertThrows(NullPointerException.class, () -> AssignrHttpClient5.configure(h.builder(), null));
  }
}
