package com.assignr.resilience.reliability;

import static com.assignr.resilience.reliability.Rig.API;
import static com.assignr.resilience.reliability.Rig.CONFIRM;
import static com.assignr.resilience.reliability.Rig.GAMES;
import static com.assignr.resilience.reliability.Rig.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrException;
import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.Classification;
import com.assignr.resilience.InsecureRequestException;
import com.assignr.resilience.jdk.AssignrHttpClient;
import com.assignr.resilience.okhttp.AssignrCallFactory;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import com.assignr.resilience.reliability.Rig.Adapter;
import com.assignr.resilience.reliability.Rig.CallSpec;
import com.assignr.resilience.testing.CapturingLogger;
import com.assignr.resilience.reliability.Rig.EventLog;
import com.assignr.resilience.reliability.Rig.Mode;
import com.assignr.resilience.reliability.Rig.Result;
import com.assignr.resilience.testkit.VirtualTime;
import com.assignr.resilience.testkit.AssignrSimulator;
import com.assignr.resilience.testkit.JournalEntry;
import com.assignr.resilience.testkit.ScriptedResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import okhttp3.Call;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the library keeps out: plain HTTP (refused before a byte is sent), a redirect turning a
 * write into a read, the {@code Authorization} header reaching another host, and the credential
 * reaching any text the library produces. Findings go to {@code target/reliability-security.md}.
 */
@Timeout(60)
class SecurityTest {
  static Rig rig;
  /** A second host: the target of cross-host redirects. */
  static AssignrSimulator other;
  static final Map<String, String> findings = new TreeMap<>();

  @BeforeAll
  static void start() {
    rig = Rig.standard();
    other = AssignrSimulator.builder().https(true).start();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      StringBuilder md = new StringBuilder("| check | adapter | result |\n|---|---|---|\n");
      findings.forEach((k, v) -> md.append("| ").append(k.replace("|", " | ")).append(" | ").append(v).append(" |\n"));
      Path out = Path.of("target", "reliability-security.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, md.toString());
    } finally {
      other.close();
      rig.close();
    }
  }

  static Stream<Arguments> adapters() {
    List<Arguments> all = new ArrayList<>();
    for (Adapter a : Adapter.values()) for (Mode m : Mode.values()) all.add(Arguments.of(a, m));
    return all.stream();
  }

  private static String name(Adapter a, Mode m) {
    return a.label + " " + m.name().toLowerCase();
  }

  private AssignrResilience config(VirtualTime time, CapturingLogger logger, EventLog events) {
    return rig.config(time, Rig.listeners(logger, events)).build();
  }

  private static void assertNoSecret(List<String> texts) {
    for (String t : texts) assertFalse(t.contains(SECRET), () -> "the secret leaked: " + t);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("adapters")
  void plainHttpIsRefusedBeforeAByteIsSent(Adapter adapter, Mode mode) {
    VirtualTime time = VirtualTime.autoAdvancing();
    rig.reset(time);
    CapturingLogger logger = new CapturingLogger();
    EventLog events = new EventLog();
    Rig.Caller caller = rig.caller(adapter, mode, config(time, logger, events));
    int refused = 0;
    for (String base : List.of(rig.sim.httpBaseUrl(), "http://api.assignr.com/api/v2")) {
      for (String method : List.of("GET", "POST")) {
        Result r = caller.call(new CallSpec(method, base + CONFIRM + "?" + Rig.SECRET_QUERY, null));
        assertInstanceOf(InsecureRequestException.class, r.error(), r::toString);
        assertNoSecret(Rig.describe(r.error()));
        refused++;
      }
    }
    assertEquals(0, rig.sim.stats().totalRequests(), "nothing reached the server");
    assertEquals(List.of(), events.events, "no attempt was even started");
    assertEquals("", rig.leaks());
    findings.put("1 plain http:// refused before sending|" + name(adapter, mode),
        refused + "/4 refused (loopback and remote, GET and POST); 0 requests reached the server");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("adapters")
  void a302ToAnHttpsPostIsNeverFollowedAsAGet(Adapter adapter, Mode mode) {
    VirtualTime time = VirtualTime.autoAdvancing();
    rig.reset(time);
    CapturingLogger logger = new CapturingLogger();
    EventLog events = new EventLog();
    // The interceptor is checked twice: on a client that follows redirects (OkHttp's default),
    // where OkHttp itself sends the GET below the interceptor, and on one that does not.
    for (boolean follow : adapter == Adapter.OKHTTP_INTERCEPTOR ? new boolean[] {true, false} : new boolean[] {true}) {
      rig.reset(time);
      Rig.Caller caller = rig.caller(adapter, mode, config(time, logger, events),
          rig.ok.newBuilder().followRedirects(follow).build());
      rig.sim.script().on("POST", API + CONFIRM).next(1).respond(ScriptedResponse.status(302)
          .header("Location", rig.sim.httpsBaseUrl() + "/current_account"));

      Result r = caller.call(CallSpec.post(CONFIRM));

      int gets = rig.sim.journal().count("GET", API + "/current_account");
      findings.put("2 302 answering an https POST|" + name(adapter, mode)
              + (adapter == Adapter.OKHTTP_INTERCEPTOR ? (follow ? " (client follows redirects)" : " (followRedirects(false))") : ""),
          (gets == 0 ? "not followed" : "OkHttp sent the GET below the interceptor") + "; caller got " + outcome(r));
      boolean unpreventable = adapter == Adapter.OKHTTP_INTERCEPTOR && follow;
      assertEquals(unpreventable ? 1 : 0, gets, "the POST was turned into a GET");
      assertEquals(1, rig.sim.journal().count("POST", API + CONFIRM));
      // Never reported as the GET's success: the caller gets the redirect.
      AssignrException e = assertInstanceOf(AssignrException.class, r.error(), r::toString);
      assertEquals(302, e.status());
      assertEquals(Classification.INSECURE_REDIRECT, e.classification());
      assertEquals("", rig.leaks());
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("adapters")
  void plainHttpToAnHttpsOnlyServerIsNeverFollowedAsAGet(Adapter adapter, Mode mode) {
    // Assignr itself: plain HTTP is answered with 302 to HTTPS. Only reachable when loopback
    // http is explicitly allowed (a local simulator); the library must still not follow it.
    try (AssignrSimulator httpsOnly = AssignrSimulator.builder().httpsOnly(true).start()) {
      VirtualTime time = VirtualTime.autoAdvancing();
      CapturingLogger logger = new CapturingLogger();
      EventLog events = new EventLog();
      AssignrResilience resilience = rig.config(time, Rig.listeners(logger, events))
          .allowInsecureLoopback(true).build();
      boolean follow = adapter != Adapter.OKHTTP_INTERCEPTOR; // the documented interceptor setup
      Rig.Caller caller = rig.caller(adapter, mode, resilience, rig.ok.newBuilder().followRedirects(follow).build());

      Result r = caller.call(CallSpec.post(httpsOnly.httpBaseUrl() + CONFIRM));

      List<JournalEntry> journal = httpsOnly.journal().entries();
      long https = journal.stream().filter(e -> e.scheme().equals("https")).count();
      findings.put("3 http POST to an HTTPS-only server (302 to https), loopback http allowed|" + name(adapter, mode)
              + (follow ? "" : " (followRedirects(false))"),
          (https == 0 ? "not followed" : "FOLLOWED: " + journal) + "; caller got " + outcome(r));
      assertEquals(0, https, "the 302 to https was followed: " + journal);
      assertEquals(1, journal.size());
      AssignrException e = assertInstanceOf(AssignrException.class, r.error(), r::toString);
      assertEquals(302, e.status());
      assertEquals("", rig.leaks());
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("adapters")
  void authorizationNeverReachesAnotherHost(Adapter adapter, Mode mode) {
    for (int status : new int[] {302, 307}) {
      VirtualTime time = VirtualTime.autoAdvancing();
      rig.reset(time);
      other.reset();
      CapturingLogger logger = new CapturingLogger();
      EventLog events = new EventLog();
      Rig.Caller caller = rig.caller(adapter, mode, config(time, logger, events));
      String elsewhere = "https://127.0.0.1:" + other.httpsPort() + "/api/v2" + GAMES;
      rig.sim.script().next(1).respond(ScriptedResponse.status(status).header("Location", elsewhere));

      Result r = caller.call(CallSpec.get(GAMES));

      List<JournalEntry> there = other.journal().entries();
      long withToken = there.stream().filter(JournalEntry::authorizationPresent).count();
      findings.put("4 " + status + " to another host (GET)|" + name(adapter, mode),
          (there.isEmpty() ? "not followed" : "followed, Authorization "
              + (withToken == 0 ? "stripped" : "SENT")) + "; caller got " + outcome(r));
      assertEquals(0, withToken, "the other host received Authorization");
      assertEquals("", rig.leaks());
      assertNoSecret(logger.lines);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("redirectPolicies")
  void aJdkClientThatFollowsRedirectsIsRefused(HttpClient.Redirect redirect) throws Exception {
    // Users wrap the client they already have; some have turned redirects on. What the JDK then
    // does on its own (unwrapped) is why the wrapper refuses such a client.
    HttpClient base = HttpClient.newBuilder().sslContext(rig.sim.sslContext())
        .version(HttpClient.Version.HTTP_1_1).followRedirects(redirect).build();
    VirtualTime time = VirtualTime.autoAdvancing();
    rig.reset(time);
    other.reset();
    rig.sim.script().on("POST", API + CONFIRM).next(1).respond(ScriptedResponse.status(302)
        .header("Location", rig.sim.httpsBaseUrl() + "/current_account"));
    base.send(rig.jdkRequest(CallSpec.post(CONFIRM)), java.net.http.HttpResponse.BodyHandlers.discarding());
    int gets = rig.sim.journal().count("GET", API + "/current_account");
    String elsewhere = "https://127.0.0.1:" + other.httpsPort() + "/api/v2" + GAMES;
    rig.sim.script().next(1).respond(ScriptedResponse.status(307).header("Location", elsewhere));
    base.send(rig.jdkRequest(CallSpec.get(GAMES)), java.net.http.HttpResponse.BodyHandlers.discarding());
    long withToken = other.journal().entries().stream().filter(JournalEntry::authorizationPresent).count();
    String unwrapped = "unwrapped JDK client: 302 on POST " + (gets == 0 ? "not followed" : "followed as GET")
        + ", 307 to another host " + (other.journal().count() == 0 ? "not followed"
        : "followed with Authorization " + (withToken == 0 ? "stripped" : "SENT"));

    AssignrResilience resilience = config(time, new CapturingLogger(), new EventLog());
    if (redirect == HttpClient.Redirect.NEVER) {
      assertEquals(0, gets);
      assertEquals(0, withToken);
      AssignrHttpClient.wrap(base, resilience);
      findings.put("5 wrapping a JDK client with Redirect." + redirect + "|JDK HttpClient",
          "accepted; " + unwrapped);
    } else {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> AssignrHttpClient.wrap(base, resilience));
      assertTrue(e.getMessage().contains("Authorization"), e.getMessage());
      findings.put("5 wrapping a JDK client with Redirect." + redirect + "|JDK HttpClient",
          "refused by wrap() (IllegalArgumentException); " + unwrapped);
    }
  }

  static Stream<HttpClient.Redirect> redirectPolicies() {
    return Stream.of(HttpClient.Redirect.NEVER, HttpClient.Redirect.NORMAL, HttpClient.Redirect.ALWAYS);
  }

  @Test
  void noConfigurationOrCallPrintsTheSecret() throws Exception {
    VirtualTime time = VirtualTime.autoAdvancing();
    rig.reset(time);
    CapturingLogger logger = new CapturingLogger();
    EventLog events = new EventLog();
    com.assignr.resilience.testkit.RecordingGateStore gates = com.assignr.resilience.testkit.RecordingGateStore.local();
    AssignrResilience resilience = rig.config(time, Rig.listeners(logger, events)).gateStore(gates).build();
    AssignrInterceptor interceptor = AssignrInterceptor.create(resilience);
    AssignrCallFactory factory = AssignrCallFactory.create(rig.ok, resilience);
    AssignrHttpClient jdk = AssignrHttpClient.wrap(rig.jdk, resilience);
    rig.sim.script().serviceUnavailable(1);
    Call call = factory.newCall(rig.okRequest(CallSpec.get(GAMES + "?" + Rig.SECRET_QUERY)));
    call.execute().close();
    rig.sim.script().next(1).respondStatus(401);
    AssignrException unauthorized = org.junit.jupiter.api.Assertions.assertThrows(AssignrException.class,
        () -> jdk.send(rig.jdkRequest(CallSpec.get(GAMES)), java.net.http.HttpResponse.BodyHandlers.discarding()));

    List<String> texts = new ArrayList<>(List.of(resilience.toString(), resilience.policy().toString(),
        interceptor.toString(), factory.toString(), call.toString(), jdk.toString(),
        gates.only().toString(), gates.only().quotaKey(), resilience.gates().toString()));
    texts.addAll(logger.lines);
    texts.addAll(events.events);
    texts.addAll(Rig.describe(unauthorized));
    assertTrue(events.events.size() > 4, events.events::toString);
    assertNoSecret(texts);
    findings.put("6 toString of configuration, adapters, calls, gates; events; logs|all",
        texts.size() + " texts checked, none contains the token");
  }

  private static String outcome(Result r) {
    if (r.error() instanceof AssignrException e) return e.getClass().getSimpleName() + " " + e.status();
    return r.error() != null ? r.error().getClass().getSimpleName() : String.valueOf(r.status());
  }
}
