package com.assignr.resilience.okhttp;

import static com.assignr.resilience.okhttp.OkHttpHarness.RESET_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.RateLimitedException;
import com.assignr.resilience.StopReason;
import com.assignr.resilience.okhttp.OkHttpHarness.Mode;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Timelines of retries on virtual time, each through both adapters, blocking and not. */
@Timeout(60)
class RetryTimelineTest {
  @RegisterExtension
  static final OkHttpHarness h = new OkHttpHarness();

  @ParameterizedTest
  @EnumSource(Mode.class)
  void rateLimitedThenOkWaitsForTheResetPlusTheMargin(Mode mode) throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    AssignrResilience resilience = h.resilience(time).build();
    h.sim().script().next(1).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "7"));

    try (Response response = mode.send(mode.calls(h.client(), resilience).newCall(get()))) {
      assertEquals(200, response.code());
    }

    // 7 s to the reset + the 1 s margin + jitter drawn at 0; the gate, closed for as long, adds nothing.
    assertEquals(List.of(Duration.ofSeconds(8)), mode.waits(time));
    List<JournalEntry> journal = h.journal();
    assertEquals(List.of(429, 200), journal.stream().map(JournalEntry::status).toList());
    assertEquals(Duration.ofSeconds(8),
        Duration.between(journal.get(0).arrivedAt(), journal.get(1).arrivedAt()));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serviceUnavailableBurstThenOkBacksOffExponentially(Mode mode) throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    AssignrResilience resilience = h.resilience(time).build();
    h.sim().script().serviceUnavailable(3); // 503 is retried for every method, POST included
    h.script(201);

    try (Response response = mode.send(mode.calls(h.client(), resilience).newCall(post()))) {
      assertEquals(201, response.code());
    }

    assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)),
        mode.waits(time));
    assertEquals(List.of(503, 503, 503, 201), h.journal().stream().map(JournalEntry::status).toList());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void postAnsweredServerErrorReachesTheServerExactlyOnce(Mode mode) throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    AssignrResilience resilience = h.resilience(time).build();
    h.script(500, 200);

    try (Response response = mode.send(mode.calls(h.client(), resilience).newCall(post()))) {
      assertEquals(500, response.code());
    }

    assertEquals(1, h.sim().journal().count());
    assertEquals(List.of(), mode.waits(time));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void oneShotBodyIsNeverReplayed(Mode mode) throws Exception {
    for (String method : List.of("POST", "PUT")) { // PUT is idempotent: only the body stops the retry
      h.sim().reset();
      VirtualTime time = VirtualTime.autoAdvancing();
      AssignrResilience resilience = h.resilience(time).build();
      h.script(503, 200);
      OneShotBody body = new OneShotBody("{\"game\":{}}");

      Request request = h.request("/games/1").method(method, body).build();
      try (Response response = mode.send(mode.calls(h.client(), resilience).newCall(request))) {
        assertEquals(503, response.code(), method);
      }

      assertEquals(1, h.sim().journal().count(), method);
      assertEquals(1, body.writes, method);
      assertEquals(List.of(), mode.waits(time), method);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void plainHttpToAnotherHostIsRefusedWithNothingSent(Mode mode) throws Exception {
    AssignrResilience resilience = h.resilience(VirtualTime.autoAdvancing())
        .allowInsecureLoopback(true).build();
    List<String> events = new CopyOnWriteArrayList<>();
    OkHttpClient recording = h.client().newBuilder()
        .eventListener(new EventListener() {
          @Override public void dnsStart(Call call, String domainName) { events.add("dns " + domainName); }

          @Override public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            events.add("connect " + address);
          }

          @Override public void requestHeadersStart(Call call) { events.add("request headers"); }
        })
        .build();
    Request request = new Request.Builder().url("http://api.assignr.com/api/v2/sites/1/games")
        .post(RequestBody.create("{}", null)).build();

    InsecureRequestException e = assertThrows(InsecureRequestException.class,
        () -> mode.send(mode.calls(recording, resilience).newCall(request)));

    assertTrue(e.getMessage().contains("http://api.assignr.com/api/v2/sites/1/games"), e.getMessage());
    assertEquals(List.of(), events);
    assertEquals(List.of(), List.copyOf(h.sent));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void plainHttpToLoopbackIsRefusedUnlessAllowed(Mode mode) throws Exception {
    Request request = new Request.Builder().url(h.sim().httpBaseUrl() + "/sites/1/games").build();
    AssignrResilience strict = h.resilience(VirtualTime.autoAdvancing()).build();
    assertThrows(InsecureRequestException.class,
        () -> mode.send(mode.calls(h.client(), strict).newCall(request)));
    assertEquals(0, h.sim().journal().count());

    AssignrResilience loopback = h.resilience(VirtualTime.autoAdvancing()).allowInsecureLoopback(true).build();
    try (Response response = mode.send(mode.calls(h.client(), loopback).newCall(request))) {
      assertEquals(401, response.code()); // reached the simulator: it wants a token
    }
    assertEquals(1, h.sim().journal().count());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void plainHttpToANameThatOnlyLooksLikeLoopbackIsRefused_evenWhenLoopbackIsAllowed(Mode mode) throws Exception {
    // A resolver that sends every name to the simulator, as an attacker's DNS would send
    // 127.attacker.example wherever it likes: what reaches the simulator would have left in clear.
    List<String> looked = new CopyOnWriteArrayList<>();
    OkHttpClient anywhere = h.client().newBuilder().dns(name -> {
      looked.add(name);
      return List.of(InetAddress.getLoopbackAddress());
    }).build();
    AssignrResilience loopback = h.resilience(VirtualTime.autoAdvancing()).allowInsecureLoopback(true).build();
    for (String host : List.of("127.attacker.example", "127.0.0.1.evil", "localhost.")) {
      Request request = new Request.Builder().url("http://" + host + ":" + h.sim().port() + "/api/v2/sites/1/games")
          .post(RequestBody.create("{}", null)).build();
      // Closed if it was sent after all, so a failure here leaks no connection into later tests.
      assertThrows(InsecureRequestException.class,
          () -> mode.send(mode.calls(anywhere, loopback).newCall(request)).close(), host);
    }
    assertEquals(0, h.sim().journal().count(), "nothing was sent in plain HTTP");
    assertEquals(List.of(), looked, "refused before any look-up");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyPostCarriesAContentType_withOrWithoutABody_andTheCallersOwnWins(Mode mode) throws Exception {
    AssignrResilience resilience = h.resilience(VirtualTime.autoAdvancing()).build();
    Call.Factory calls = mode.calls(h.client(), resilience);
    String confirm = "/assignments/1/confirm";
    mode.send(calls.newCall(h.request(confirm).post(RequestBody.create(new byte[0], null)).build())).close();
    mode.send(calls.newCall(h.request(confirm).header("Content-Type", "application/x-www-form-urlencoded")
        .post(RequestBody.create(new byte[0], null)).build())).close();
    mode.send(calls.newCall(h.request(confirm)
        .post(RequestBody.create("{}", MediaType.get("application/json; charset=utf-8"))).build())).close();
    mode.send(calls.newCall(h.request("/sites/1/games").build())).close();

    List<JournalEntry> arrived = h.sim().journal().entries();
    assertEquals(Arrays.asList(AssignrResilience.ASSIGNR_MEDIA_TYPE, "application/x-www-form-urlencoded",
        "application/json; charset=utf-8", null), arrived.stream().map(JournalEntry::contentType).toList());
    assertEquals(List.of(), h.sim().journal().postsWithoutContentType());
    assertEquals(List.of(), h.sim().journal().withoutAcceptHeader());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void waitPastTheCallTimeoutGivesUpAtOnce(Mode mode) throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    AssignrResilience resilience = h.resilience(time).throwOnFailure(true).build();
    OkHttpClient client = h.client().newBuilder().callTimeout(10, TimeUnit.SECONDS).build();
    h.sim().script().next(1).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "30"));

    RateLimitedException e = assertThrows(RateLimitedException.class,
        () -> mode.send(mode.calls(client, resilience).newCall(get())));

    assertEquals(StopReason.DEADLINE_EXCEEDED, e.stopReason());
    assertEquals(time.instant().plusSeconds(31), e.retryAt());
    assertEquals(List.of(), mode.waits(time));
    assertEquals(1, h.sim().journal().count());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withoutThrowingTheLastFailureIsReturned(Mode mode) throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    AssignrResilience resilience = h.resilience(time).build();
    h.sim().script().next(5).respondStatus(503);

    try (Response response = mode.send(mode.calls(h.client(), resilience).newCall(get()))) {
      assertEquals(503, response.code());
      assertTrue(response.body().string().contains("Scripted error 503"), "the body is readable");
    }
    assertEquals(5, h.sim().journal().count());
  }

  @Test
  void assignrHeadersAreAddedOnlyWhenTheCallerSetNone() throws Exception {
    AssignrResilience resilience = h.resilience(VirtualTime.autoAdvancing())
        .writeContentType("application/x-www-form-urlencoded").build();
    for (Mode mode : List.of(Mode.INTERCEPTOR_EXECUTE, Mode.FACTORY_EXECUTE)) {
      Call.Factory calls = mode.calls(h.client(), resilience);
      h.sent.clear();
      send(calls, h.request("/sites/1/games").post(RequestBody.create("a=1", null)).build());
      Request sent = h.sent.take();
      assertEquals(AssignrResilience.ASSIGNR_MEDIA_TYPE, sent.header("Accept"), mode.name());
      assertEquals("application/x-www-form-urlencoded", sent.header("Content-Type"), mode.name());

      send(calls, h.request("/sites/1/games").header("Accept", "application/json")
          .header("Content-Type", "text/plain").post(RequestBody.create("x", null)).build());
      sent = h.sent.take();
      assertEquals("application/json", sent.header("Accept"), mode.name());
      assertEquals("text/plain", sent.header("Content-Type"), mode.name());

      send(calls, h.request("/sites/1/games")
          .post(RequestBody.create("{}", MediaType.get("application/json; charset=utf-8"))).build());
      assertEquals("application/json; charset=utf-8", h.sent.take().header("Content-Type"), mode.name());

      send(calls, h.request("/games/1").put(RequestBody.create("{}", null)).build());
      assertNull(h.sent.take().header("Content-Type"), "only POST gets a Content-Type: " + mode);

      send(calls, h.request("/sites/1/games").build());
      assertFalse(h.sent.take().headers().names().contains("Content-Type"), mode.name());
    }
  }

  private static void send(Call.Factory calls, Request request) throws IOException {
    calls.newCall(request).execute().close();
  }

  private static Request get() {
    return h.request("/sites/1/games").build();
  }

  private static Request post() {
    return h.request("/sites/1/games").post(RequestBody.create("{\"game\":{}}", null)).build();
  }

  /** A body that may be written once, like a stream being uploaded. */
  static final class OneShotBody extends RequestBody {
    private final String content;
    volatile int writes;

    OneShotBody(String content) {
      this.content = content;
    }

    @Override public MediaType contentType() { return MediaType.get("application/json"); }

    @Override public boolean isOneShot() { return true; }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      writes++;
      sink.writeUtf8(content);
    }
  }
}
