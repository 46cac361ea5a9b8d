package com.assignr.resilience.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.jdk.AssignrHttpClient;
import feign.Feign;
import feign.Request;
import feign.Retryer;
import feign.http2client.Http2Client;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Feign over java.net.http (feign-java11's {@link Http2Client}) with the decorator. Http2Client
 * keeps the client it is given only while Feign's {@link Request.Options} agree with it (redirects
 * and connect timeout); otherwise it quietly builds a plain {@code HttpClient} of its own per
 * option set, and the library is bypassed.
 */
@Timeout(60)
class FeignJdkStackTest {
  static final Rig RIG = new Rig("feign-java11");
  static final Duration CONNECT = Duration.ofSeconds(10);
  /** What the decorated client has: no redirects (wrap insists), the same connect timeout. */
  static final Request.Options MATCHING = new Request.Options(CONNECT.toMillis(), TimeUnit.MILLISECONDS,
      60, TimeUnit.SECONDS, false);

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  static HttpClient decorated(AssignrResilience r) {
    return AssignrHttpClient.wrap(HttpClient.newBuilder().sslContext(RIG.sim.sslContext())
        .connectTimeout(CONNECT).build(), r);
  }

  static StackClient feign(HttpClient client, Request.Options options) {
    FeignStackTest.Api api = Feign.builder()
        .client(new Http2Client(client))
        .options(options)
        .retryer(Retryer.NEVER_RETRY)
        .requestInterceptor(t -> t.header("Authorization", OkHttpStack.TOKEN))
        .decoder((response, type) -> response.status())
        .target(FeignStackTest.Api.class, RIG.base());
    return new StackClient() {
      @Override
      public int get(String path) {
        return FeignStackTest.status(api::currentAccount);
      }

      @Override
      public int write(String method, String path, String json) {
        return FeignStackTest.status(() -> method.equals("PUT") ? api.updateGame(json) : api.createGame(json));
      }
    };
  }

  @TestFactory
  Stream<DynamicTest> withMatchingOptions() {
    return RIG.matrix("Feign + feign-java11 Http2Client over AssignrHttpClient, matching Options, Retryer.NEVER_RETRY",
        true, r -> feign(decorated(r), MATCHING));
  }

  /** Feign's default Options follow redirects: Http2Client then sends through a client of its own. */
  @Test
  void withFeignsDefaultOptionsTheDecoratorIsBypassedAndA503IsNotRetried() throws Exception {
    Rig.Seen seen = RIG.observe(Scenario.POST_AFTER_503, feign(decorated(RIG.resilience(true)), new Request.Options()));
    RIG.record("(trap) Feign + feign-java11 Http2Client over AssignrHttpClient, Feign's default Options",
        Scenario.POST_AFTER_503, seen);
    assertEquals(1, seen.arrivals(), "sent once, by a plain HttpClient");
    assertEquals("503", seen.outcome(), "Feign's own FeignException for the 503: nothing of ours ran");
  }
}
