package com.assignr.resilience.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The factory's calls keep OkHttp's Call contract, as Retrofit relies on it. */
@Timeout(30)
class CallContractTest {
  @RegisterExtension
  static final OkHttpHarness h = new OkHttpHarness();

  private AssignrCallFactory factory(OkHttpClient client) {
    AssignrResilience resilience = h.resilience(VirtualTime.autoAdvancing()).build();
    return AssignrCallFactory.create(client, resilience);
  }

  @Test
  void executesOnceAndClonesFresh() throws Exception {
    Request request = h.request("/sites/1/games").build();
    Call call = factory(h.client()).newCall(request);
    assertSame(request, call.request());
    assertFalse(call.isExecuted());

    call.execute().close();

    assertTrue(call.isExecuted());
    assertThrows(IllegalStateException.class, call::execute);
    assertThrows(IllegalStateException.class, () -> call.enqueue(new NoCallback()));
    Call clone = call.clone();
    assertNotSame(call, clone);
    assertSame(request, clone.request());
    assertFalse(clone.isExecuted());
    clone.execute().close();
    assertEquals(2, h.sim().journal().count());
  }

  @Test
  void timeoutStartsAtTheClientsCallTimeout() {
    OkHttpClient client = h.client().newBuilder().callTimeout(7, TimeUnit.SECONDS).build();
    Call call = factory(client).newCall(h.request("/sites/1/games").build());
    assertEquals(TimeUnit.SECONDS.toNanos(7), call.timeout().timeoutNanos());
    assertEquals(0, factory(h.client()).newCall(h.request("/").build()).timeout().timeoutNanos());
  }

  @Test
  void callbackGetsTheCallItselfExactlyOnce() throws Exception {
    Call call = factory(h.client()).newCall(h.request("/sites/1/games").build());
    CompletableFuture<Call> seen = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, IOException e) {
        seen.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call c, Response response) {
        response.close();
        assertTrue(seen.complete(c));
      }
    });
    assertSame(call, seen.get(10, TimeUnit.SECONDS));
  }

  @Test
  void cancelledBeforeStartSendsNothing() throws Exception {
    AssignrCallFactory factory = factory(h.client());
    Call sync = factory.newCall(h.request("/sites/1/games").build());
    sync.cancel();
    assertTrue(sync.isCanceled());
    assertThrows(InterruptedIOException.class, sync::execute);

    Call async = factory.newCall(h.request("/sites/1/games").build());
    async.cancel();
    CompletableFuture<IOException> failure = new CompletableFuture<>();
    async.enqueue(new Callback() {
      @Override public void onFailure(Call c, IOException e) { failure.complete(e); }

      @Override public void onResponse(Call c, Response response) { response.close(); }
    });
    assertInstanceOf(InterruptedIOException.class, failure.get(10, TimeUnit.SECONDS));
    assertEquals(0, h.sim().journal().count());
  }

  @Test
  void refusesAClientThatAlreadyRetries() {
    OkHttpClient client = h.client().newBuilder()
        .addInterceptor(AssignrInterceptor.create(AssignrResilience.defaults())).build();
    assertThrows(IllegalArgumentException.class,
        () -> AssignrCallFactory.create(client, AssignrResilience.defaults()));
  }

  @Test
  void callTagsOfOkHttp5AreSeededFromTheRequest() throws Exception {
    assumeFalse(OkHttpVersionTest.onOkHttp4(), "Call.tag(...) exists only in OkHttp 5");
    Call call = factory(h.client()).newCall(h.request("/").tag(String.class, "from-request").build());
    assertEquals("from-request", call.tag(String.class));
    assertEquals(42, call.tag(Integer.class, () -> 42));
    assertEquals(42, call.tag(Integer.class, () -> 43));
    assertEquals(42, call.tag(Integer.class));
  }

  private static final class NoCallback implements Callback {
    @Override public void onFailure(Call call, IOException e) {}

    @Override public void onResponse(Call call, Response response) { response.close(); }
  }
}
