package com.assignr.resilience;

import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.ResponseAdapter;
import com.assignr.resilience.spi.RateLimitGate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testkit.VirtualTime;
import java.io.EOFException;
import java.net.URI;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each test here failed before the change that fixed it (issue 10's list). The gate's own defects
 * of that list (phantom release places, {@code Remaining: 0} without a reset) and the state
 * snapshot are scenarios of the testkit's gate contract ({@code gate-contract.txt}) now, run on
 * both gates.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DefectsOfWave1Test {
  private static final URI GAMES = URI.create("https://api.assignr.com/api/v2/games");
  private static final RequestInfo GET = RequestInfo.of("GET", GAMES, true);

  private final VirtualTime time = VirtualTime.manual();

  private AssignrResilience resilience() {
    return AssignrResilience.builder().timeSource(time).random(() -> 0.0).listener(RetryListener.NONE).build();
  }

  private static RateLimitInfo headers(String... nameValue) {
    return RateLimitInfo.from(Headers.of(nameValue));
  }

  /**
   * Phantom release slots: 1,001 callers refused because their wait would pass their limit each
   * took a place in the release order, pushing a later caller that does wait 20 s further out. The
   * gate's rule is a scenario of the testkit's gate contract ("a caller whose wait would pass its
   * limit takes no place in the release order"); here it is through the executor: 300 callers with
   * a 2 s deadline refused, then one that waits 11 s.
   */
  @Test
  void refusedCallersDoNotPushTheNextOneOverTheCap() throws Exception {
    AssignrResilience resilience = resilience();
    resilience.gateFor(GET, "Bearer t").learn(429,
        headers("X-Ratelimit-Reset-Seconds-Remaining", "10"), time.nanoTime());
    CallOptions hurried = CallOptions.none().withCredentials("Bearer t").withTimeout(Duration.ofSeconds(2));
    for (int i = 0; i < 300; i++) {
      RateLimitedException e = assertThrows(RateLimitedException.class, () -> resilience.executor().execute(
          GET, hurried, ctx -> FakeResponse.of(200), FakeResponse.ADAPTER));
      assertEquals(StopReason.DEADLINE_EXCEEDED, e.stopReason());
    }
    CompletableFuture<FakeResponse> patient = resilience.executor().executeAsync(GET,
        CallOptions.none().withCredentials("Bearer t"),
        ctx -> CompletableFuture.completedFuture(FakeResponse.of(200)), FakeResponse.ADAPTER);
    assertEquals(java.util.List.of(Duration.ofMillis(11_020)), time.scheduledDelays(),
        "waits for the reset, not 300 release places more");
    time.advance(Duration.ofMillis(11_020));
    assertEquals(200, patient.get(5, TimeUnit.SECONDS).status);
  }

  /** TLS failures were retried five times as IO_FAILURE. */
  @Test
  void permanentTlsFailuresAreNotRetried() throws Exception {
    SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
    untrusted.initCause(new CertificateException("unable to find valid certification path"));
    assertEquals(Classification.TLS_FAILURE, FailureClassifier.classify(untrusted, false));
    assertEquals(Classification.TLS_FAILURE,
        FailureClassifier.classify(new SSLException("Unsupported or unrecognized SSL message"), false),
        "plaintext on a TLS port");
    SSLHandshakeException dropped = new SSLHandshakeException("Remote host terminated the handshake");
    dropped.initCause(new EOFException("SSL peer shut down incorrectly"));
    assertEquals(Classification.IO_FAILURE, FailureClassifier.classify(dropped, false),
        "a connection lost mid-handshake is the network's doing: retried like any I/O failure");

    AtomicInteger sent = new AtomicInteger();
    TransportException e = assertThrows(TransportException.class, () -> resilience().executor().execute(GET,
        CallOptions.none(), ctx -> {
          sent.incrementAndGet();
          throw untrusted;
        }, FakeResponse.ADAPTER));
    assertEquals(1, sent.get());
    assertEquals(Classification.TLS_FAILURE, e.classification());
    assertSame(untrusted, e.getCause());
  }

  /**
   * A ResponseAdapter that throws is a programming error on both paths: the async path classified
   * it IO_FAILURE (a GET was retried), and neither path discarded the response.
   */
  @ParameterizedTest(name = "async={0}")
  @ValueSource(booleans = {false, true})
  void aThrowingResponseAdapterIsNeverRetriedAndItsResponseIsDiscarded(boolean async) throws Exception {
    AtomicInteger sent = new AtomicInteger();
    FakeResponse response = FakeResponse.of(200);
    ResponseAdapter<FakeResponse> broken = new ResponseAdapter<>() {
      @Override public int status(FakeResponse r) { throw new IllegalStateException("broken adapter"); }
      @Override public HeaderLookup headers(FakeResponse r) { return r.headers; }
      @Override public void discard(FakeResponse r) { r.discarded.incrementAndGet(); }
    };
    AssignrResilience resilience = AssignrResilience.builder().timeSource(VirtualTime.autoAdvancing())
        .listener(RetryListener.NONE).build();
    Throwable thrown;
    if (async) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> resilience.executor().executeAsync(GET,
          CallOptions.none(), ctx -> {
            sent.incrementAndGet();
            return CompletableFuture.completedFuture(response);
          }, broken).get(5, TimeUnit.SECONDS));
      thrown = e.getCause();
    } else {
      thrown = assertThrows(IllegalStateException.class, () -> resilience.executor().execute(GET,
          CallOptions.none(), ctx -> {
            sent.incrementAndGet();
            return response;
          }, broken));
    }
    assertEquals("broken adapter", thrown.getMessage());
    assertEquals(1, sent.get(), "not retried");
    assertEquals(1, response.discarded.get(), "the response was released");
  }

  /** Quota identity: a fixed key joins every credential on one gate; the default keeps them apart. */
  @Test
  void aFixedQuotaKeySharesOneGateAcrossRotatingTokens() {
    AssignrResilience fixed = AssignrResilience.builder().timeSource(time).listener(RetryListener.NONE)
        .quotaKey(QuotaKey.fixed("assignr:club-42")).build();
    RateLimitGate before = fixed.gateFor(GET, "Bearer token-1");
    assertSame(before, fixed.gateFor(GET, "Bearer token-2"), "a rotated token keeps the gate");
    assertSame(before, fixed.gateFor(GET, null), "so does a call whose credentials are added below us");
    assertEquals("assignr:club-42", before.quotaKey());

    AssignrResilience byDefault = resilience();
    assertNotSame(byDefault.gateFor(GET, "Bearer token-1"), byDefault.gateFor(GET, "Bearer token-2"));
    assertTrue(byDefault.gateFor(GET, null).quotaKey().endsWith("#anonymous"));
  }
}
