package com.assignr.resilience.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.testkit.VirtualTime;
import java.net.Authenticator;
import java.net.CookieManager;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the decorator leaves to the wrapped client, and wrapped clients that misbehave. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DelegationTest {
  static final URI SITES = URI.create("https://api.assignr.com/api/v2/sites");

  static AssignrResilience.Builder config(VirtualTime vt) {
    return AssignrResilience.builder().timeSource(vt).random(() -> 0.0).listener(SimulatorTestBase.QUIET);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aWrappedClientThatThrowsIsTreatedLikeAFailedFuture(Mode mode) {
    VirtualTime vt = VirtualTime.autoAdvancing();
    IllegalStateException closed = new IllegalStateException("client closed");
    StubHttpClient throwing = new StubHttpClient(request -> {
      throw closed;
    });
    HttpClient client = AssignrHttpClient.wrap(throwing, config(vt).build());
    HttpRequest post = HttpRequest.newBuilder(SITES).POST(BodyPublishers.ofString("{}")).build();

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> mode.call(client, post, BodyHandlers.ofString()));

    assertSame(closed, e, "a programming error is rethrown as it is, not dressed up as I/O");
    assertEquals(1, throwing.requests.size(), "and never retried");
  }

  @Test
  void sendAsyncNeverThrowsWhenTheWrappedClientDoes() {
    VirtualTime vt = VirtualTime.autoAdvancing();
    StubHttpClient throwing = new StubHttpClient(request -> {
      throw new IllegalStateException("client closed");
    });
    HttpClient client = AssignrHttpClient.wrap(throwing, config(vt).build());

    CompletableFuture<HttpResponse<String>> future =
        client.sendAsync(HttpRequest.newBuilder(SITES).build(), BodyHandlers.ofString());

    Throwable failure = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> future.get(10, TimeUnit.SECONDS)).getCause();
    assertInstanceOf(IllegalStateException.class, failure, "the future fails; sendAsync itself never throws");
    assertEquals(1, throwing.requests.size(), "a runtime exception is not an I/O failure: not retried, even for a GET");
  }

  @Test
  void everythingElseIsTheWrappedClients() {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      CookieManager cookies = new CookieManager();
      Authenticator authenticator = new Authenticator() {
        @Override protected PasswordAuthentication getPasswordAuthentication() { return null; }
      };
      HttpClient real = HttpClient.newBuilder()
          .cookieHandler(cookies)
          .connectTimeout(Duration.ofSeconds(7))
          .followRedirects(HttpClient.Redirect.NEVER)
          .proxy(ProxySelector.of(null))
          .authenticator(authenticator)
          .version(HttpClient.Version.HTTP_1_1)
          .executor(executor)
          .build();
      AssignrHttpClient client = AssignrHttpClient.wrap(real, AssignrResilience.defaults());

      assertSame(real, client.delegate());
      assertEquals(real.cookieHandler(), client.cookieHandler());
      assertEquals(real.connectTimeout(), client.connectTimeout());
      assertEquals(real.followRedirects(), client.followRedirects());
      assertEquals(real.proxy(), client.proxy());
      assertSame(real.sslContext(), client.sslContext());
      assertEquals(List.of(real.sslParameters().getProtocols()), List.of(client.sslParameters().getProtocols()));
      assertEquals(real.authenticator(), client.authenticator());
      assertEquals(real.version(), client.version());
      assertEquals(real.executor(), client.executor());
      assertEquals(real.newWebSocketBuilder().getClass(), client.newWebSocketBuilder().getClass());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void closingReachesTheWrappedClientOnJava21AndIsHarmlessOn17() throws Exception {
    HttpClient real = HttpClient.newHttpClient();
    AssignrHttpClient client = AssignrHttpClient.wrap(real, AssignrResilience.defaults());
    client.close();
    boolean lifecycle = Runtime.version().feature() >= 21;
    assertEquals(lifecycle, client.isTerminated());
    assertEquals(lifecycle, client.awaitTermination(Duration.ofSeconds(5)));
    if (lifecycle) {
      assertEquals(true, HttpClient.class.getMethod("isTerminated").invoke(real), "the wrapped client closed");
      // On 21+ this is HttpClient.close(), overridden: try-with-resources reaches the wrapped client.
      assertEquals(AssignrHttpClient.class, client.getClass().getMethod("close").getDeclaringClass());
    }
  }

  @Test
  void refusesToWrapItself() {
    AssignrHttpClient once = AssignrHttpClient.wrap(HttpClient.newHttpClient(), AssignrResilience.defaults());
    assertThrows(IllegalArgumentException.class, () -> AssignrHttpClient.wrap(once, AssignrResilience.defaults()));
  }
}
