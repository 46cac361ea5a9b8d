package com.assignr.resilience.httpclient5;

import static com.assignr.resilience.httpclient5.Hc5Harness.GAMES;
import static com.assignr.resilience.httpclient5.Hc5Harness.NEW_GAME;
import static com.assignr.resilience.httpclient5.Hc5Harness.RESET_SECONDS;
import static com.assignr.resilience.httpclient5.Hc5Harness.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.spi.ResponseAdapter;
import com.assignr.resilience.testkit.ScriptedResponse;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.IOException;
import java.net.URI;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/**
 * The control: what HttpClient 5 does with its defaults, without {@link AssignrHttpClient5}. Its
 * {@code DefaultHttpRequestRetryStrategy} resends a 429 and a 503, a POST's included, one second
 * later (real time: HttpClient sleeps on its own), below anything above it. These tests assert the
 * trap as measured, so that a change in HttpClient's defaults shows up here.
 */
@Timeout(60)
class HttpClientsOwnRetriesTest {
  @RegisterExtension
  static final Hc5Harness h = new Hc5Harness();

  @Test
  void httpClientsDefaultsResendA429AndA503PostOnTheirOwn() throws Exception {
    CloseableHttpClient defaults = h.keep(h.builder().build());
    assertTrue(AssignrHttpClient5.retriesOnItsOwn(defaults));
    assertFalse(AssignrHttpClient5.isConfigured(defaults));

    h.sim().script().on("GET", GAMES).next(1).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "3"));
    assertEquals(200, Hc5Harness.status(defaults, h.get(GAMES)));
    assertEquals(2, h.sim().journal().count("GET", GAMES), "the 429 was resent by HttpClient");

    h.sim().script().on("POST", GAMES).next(1).respondStatus(503);
    assertEquals(201, Hc5Harness.status(defaults, h.postGame()));
    assertEquals(2, h.sim().journal().count("POST", GAMES), "the POST was sent twice by HttpClient");
  }

  @Test
  void springsFactoryOnHttpClientsDefaultsSendsAPostTwiceAfterA503() throws Exception {
    CloseableHttpClient defaults = h.keep(h.builder().build());
    RestTemplate template = new RestTemplate(new HttpComponentsClientHttpRequestFactory(defaults));
    h.sim().script().on("POST", GAMES).next(1).respondStatus(503);

    int status = template.exchange(RequestEntity.post(URI.create(h.at(GAMES)))
        .header(HttpHeaders.AUTHORIZATION, TOKEN)
        .contentType(MediaType.parseMediaType(AssignrResilience.ASSIGNR_MEDIA_TYPE)).body(NEW_GAME), String.class)
        .getStatusCode().value();

    assertEquals(201, status);
    assertEquals(2, h.sim().journal().count("POST", GAMES));
  }

  /**
   * What an interceptor above such a client sees (Spring's {@code RestClient.builder()} with an
   * interceptor, when HttpClient is on the classpath): the library's executor around the default
   * client. The GET answered 429 twice (the window has not reset when HttpClient resends) reaches
   * the server three times while the library counts two attempts and hears one of the two 429s.
   */
  @Test
  void underAnInterceptorTheClientsResendsComeOnTopOfTheLibrarysAttempts() throws Exception {
    CloseableHttpClient defaults = h.keep(h.builder().build());
    AssignrResilience resilience = h.resilience(VirtualTime.autoAdvancing()).build();
    h.sim().script().on("GET", GAMES).next(2).respond(ScriptedResponse.status(429).header(RESET_SECONDS, "3"));

    int status;
    try (ClassicHttpResponse response = resilience.executor().execute(
        RequestInfo.of("GET", URI.create(h.at(GAMES)), true), CallOptions.none().withCredentials(TOKEN),
        attempt -> defaults.executeOpen(null, h.get(GAMES), null), new PlainAdapter())) {
      status = response.getCode();
    }

    assertEquals(200, status);
    assertEquals(2, h.attempts(), "the library's attempts");
    assertEquals(3, h.sim().journal().count("GET", GAMES), "arrivals at the server");
  }

  @Test
  void detectionTellsWhichClientsRetryOnTheirOwn() {
    AssignrResilience resilience = AssignrResilience.defaults();
    assertTrue(AssignrHttpClient5.retriesOnItsOwn(h.keep(HttpClients.createDefault())));
    assertTrue(AssignrHttpClient5.retriesOnItsOwn(h.keep(HttpClients.custom().build())));
    assertFalse(AssignrHttpClient5.retriesOnItsOwn(h.keep(HttpClients.custom().disableAutomaticRetries().build())));
    assertFalse(AssignrHttpClient5.retriesOnItsOwn(h.keep(HttpClients.createMinimal())), "no retries in it");
    assertFalse(AssignrHttpClient5.isConfigured(h.keep(HttpClients.createMinimal())), "cannot tell");
    assertFalse(AssignrHttpClient5.retriesOnItsOwn(null));

    CloseableHttpClient configured = h.keep(AssignrHttpClient5.configure(HttpClients.custom(), resilience).build());
    assertFalse(AssignrHttpClient5.retriesOnItsOwn(configured));
    assertTrue(AssignrHttpClient5.isConfigured(configured));

    CloseableHttpClient twice = h.keep(AssignrHttpClient5.configure(
        AssignrHttpClient5.configure(HttpClients.custom(), resilience), resilience).build());
    assertFalse(AssignrHttpClient5.isConfigured(twice), "the library twice in one chain");
  }

  /** The least an adapter does: status, headers, close. */
  private static final class PlainAdapter implements ResponseAdapter<ClassicHttpResponse> {
    @Override
    public int status(ClassicHttpResponse response) {
      return response.getCode();
    }

    @Override
    public HeaderLookup headers(ClassicHttpResponse response) {
      return name -> {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
      };
    }

    @Override
    public void discard(ClassicHttpResponse response) {
      try {
        response.close();
      } catch (IOException ignored) {
        // the connection is discarded
      }
    }
  }
}
