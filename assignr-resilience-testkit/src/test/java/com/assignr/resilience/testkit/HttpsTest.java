package com.assignr.resilience.testkit;

import static com.assignr.resilience.testkit.Http.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpsTest {

  @Test
  void aClientTrustingTheHelperContextGets200OverHttps() {
    try (AssignrSimulator sim = AssignrSimulator.builder().https(true).start()) {
      Http trusting = Http.trusting(sim.sslContext());
      assertTrue(sim.baseUrl().startsWith("https://localhost:" + sim.httpsPort() + "/api/v2"));
      HttpResponse<String> r = trusting.get(sim.httpsBaseUrl() + "/sites/1/games");
      assertEquals(200, r.statusCode());
      assertEquals("https", sim.journal().last().orElseThrow().scheme());
      assertTrue(r.body().contains("\"href\":\"https://localhost:" + sim.httpsPort()));
      assertEquals(200, Http.plain().get(sim.httpBaseUrl() + "/sites").statusCode(),
          "plain HTTP still served when not HTTPS-only");
    }
  }

  @Test
  void aDefaultClientDoesNotTrustTheSelfSignedCertificate() {
    try (AssignrSimulator sim = AssignrSimulator.builder().https(true).start()) {
      Http untrusting = Http.plain();
      assertThrows(SSLException.class,
          () -> untrusting.sendOrThrow(untrusting.request(sim.httpsBaseUrl() + "/sites")
              .GET().build()));
    }
  }

  @Test
  void plainHttpInHttpsOnlyModeIsRedirected() {
    try (AssignrSimulator sim = AssignrSimulator.builder().httpsOnly(true).start()) {
      HttpResponse<String> r = Http.plain().post(sim.httpBaseUrl() + "/assignments/10011/confirm",
          "");
      assertEquals(302, r.statusCode());
      assertEquals("https://localhost:" + sim.httpsPort() + "/api/v2/assignments/10011/confirm",
          header(r, "Location"));
      assertEquals("180", header(r, "X-Ratelimit-Remaining"), "the redirect is not counted");
      assertEquals(200, Http.trusting(sim.sslContext())
          .post(header(r, "Location"), "").statusCode());
      assertEquals(sim.certificate(), sim.trustManager().getAcceptedIssuers()[0]);
    }
  }
}
