package com.assignr.resilience.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.testkit.VirtualTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the interceptor is installed: {@link AssignrInterceptor#configure} sets a client up in one
 * call, and the two installations that cannot work fail the first call, before anything is sent,
 * with a message that names the mistake.
 */
@Timeout(30)
class InstallationTest {
  @RegisterExtension
  static final OkHttpHarness h = new OkHttpHarness();

  private AssignrResilience resilience() {
    return h.resilience(VirtualTime.autoAdvancing()).build();
  }

  private static final Interceptor AUTH = chain -> chain.proceed(chain.request());

  @Test
  void configurePutsOneInterceptorLastAndTurnsRedirectsOff() {
    AssignrInterceptor old = AssignrInterceptor.create(resilience());
    OkHttpClient.Builder builder = h.client().newBuilder().addInterceptor(old).addInterceptor(AUTH)
        .addNetworkInterceptor(old);
    int networkBefore = builder.networkInterceptors().size();

    OkHttpClient client = AssignrInterceptor.configure(builder, resilience()).build();

    List<Interceptor> app = client.interceptors();
    assertEquals(2, app.size(), app.toString());
    assertEquals(AUTH, app.get(0));
    AssignrInterceptor added = assertInstanceOf(AssignrInterceptor.class, app.get(1), "last");
    assertNotSame(old, added);
    assertEquals(networkBefore - 1, client.networkInterceptors().size(), "the network one removed");
    assertFalse(client.followRedirects());
    assertTrue(client.retryOnConnectionFailure(), "kept: GETs recover from stale connections");
  }

  @Test
  void asANetworkInterceptorTheFirstCallFailsClearlyAndSendsNothing() {
    OkHttpClient client = h.client().newBuilder()
        .addNetworkInterceptor(AssignrInterceptor.create(resilience())).build();

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> client.newCall(h.request("/sites/1/games").build()).execute());

    assertTrue(e.getMessage().contains("installed as a network interceptor"), e.getMessage());
    assertTrue(e.getMessage().contains("addInterceptor"), e.getMessage());
    assertEquals(0, h.sim().journal().count(), "nothing sent");
  }

  @Test
  void twiceOnOneClientTheFirstCallFailsClearlyAndSendsNothing() {
    AssignrInterceptor one = AssignrInterceptor.create(resilience());
    for (OkHttpClient client : List.of(
        h.client().newBuilder().addInterceptor(one).addInterceptor(one).build(),
        h.client().newBuilder().addInterceptor(one).addInterceptor(AUTH)
            .addInterceptor(AssignrInterceptor.create(resilience())).build())) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> client.newCall(h.request("/sites/1/games").build()).execute());
      assertTrue(e.getMessage().contains("two AssignrInterceptors"), e.getMessage());
    }
    assertEquals(0, h.sim().journal().count(), "nothing sent");
  }

  @Test
  void aRequestReusedFromAResponseIsNotMistakenForANestedOne() throws Exception {
    OkHttpClient client = AssignrInterceptor.configure(h.client().newBuilder(), resilience()).build();
    Request again;
    try (var response = client.newCall(h.request("/sites/1/games").build()).execute()) {
      again = response.request();
    }
    client.newCall(again).execute().close();
    assertEquals(2, h.sim().journal().count());
  }

  /** What OkHttp sees below the interceptor decides whether it may replay: writes one-shot, reads untouched. */
  @Test
  void writesGoDownOneShotAndReadsAsTheyAre() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    OkHttpClient client = AssignrInterceptor.configure(h.client().newBuilder(), resilience())
        .addNetworkInterceptor(chain -> {
          RequestBody body = chain.request().body();
          seen.add(chain.request().method() + " " + (body == null ? "no body" : body.isOneShot()
              ? "one-shot" : "replayable") + (body == null ? "" : " " + body.contentType()));
          return chain.proceed(chain.request());
        }).build();
    MediaType json = MediaType.get("application/vnd.assignr.v2.hal+json");
    client.newCall(h.request("/sites/1/games").build()).execute().close();
    client.newCall(h.request("/sites/1/games").post(RequestBody.create(
        "{\"game\":{\"date\":\"2026-12-01\",\"start_time\":\"09:00\"}}", json)).build()).execute().close();
    client.newCall(h.request("/games/1001").put(RequestBody.create("{}", json)).build()).execute().close();

    String type = json + "; charset=utf-8"; // String bodies get a charset, as without us
    assertEquals(List.of("GET no body", "POST one-shot " + type, "PUT one-shot " + type), seen);
  }
}
