package com.assignr.resilience.httpclient5.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

/** An attempt's timeouts within the call's deadline: cut, never lengthened, never invented. */
@SuppressWarnings("deprecation") // RequestConfig's connect timeout, which the adapter bounds too
class Hc5TimeoutsTest {
  private static final RequestConfig DEFAULTS = RequestConfig.DEFAULT;

  private static long nanos(Duration d) {
    return d.toNanos();
  }

  @Test
  void noDeadlineLeavesTheConfigurationAsItIs() {
    assertSame(DEFAULTS, Hc5Timeouts.bound(DEFAULTS, Long.MAX_VALUE));
  }

  @Test
  void aFirstAttemptWithTheDefaultsRebuildsNothing() {
    // HttpClient's 3 min lease timeout against the policy's 3 min deadline, a few ms spent.
    assertSame(DEFAULTS, Hc5Timeouts.bound(DEFAULTS, nanos(Duration.ofMinutes(3).minusMillis(5))));
  }

  @Test
  void theLeaseTimeoutIsCutToTheTimeLeftAndUnsetTimeoutsStayUnset() {
    RequestConfig bounded = Hc5Timeouts.bound(DEFAULTS, nanos(Duration.ofMillis(2000)));

    assertEquals(Timeout.ofMilliseconds(2000), bounded.getConnectionRequestTimeout());
    assertNull(bounded.getResponseTimeout(), "unset: the connection manager's socket timeout applies");
    assertNull(bounded.getConnectTimeout(), "unset: the connection manager's connect timeout applies");
  }

  @Test
  void setTimeoutsAreCutOnlyWhenTheyAllowLonger() {
    RequestConfig config = RequestConfig.custom()
        .setConnectionRequestTimeout(Timeout.ofMilliseconds(500))
        .setConnectTimeout(Timeout.ofSeconds(10))
        .setResponseTimeout(Timeout.ofSeconds(30))
        .build();

    RequestConfig bounded = Hc5Timeouts.bound(config, nanos(Duration.ofMillis(1500)));

    assertEquals(Timeout.ofMilliseconds(500), bounded.getConnectionRequestTimeout(), "shorter already");
    assertEquals(Timeout.ofMilliseconds(1500), bounded.getConnectTimeout());
    assertEquals(Timeout.ofMilliseconds(1500), bounded.getResponseTimeout());
    assertEquals(config.isContentCompressionEnabled(), bounded.isContentCompressionEnabled(), "the rest is kept");
  }

  @Test
  void aDisabledTimeoutWaitsForeverSoItIsCut() {
    RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.DISABLED).build();

    assertEquals(Timeout.ofMilliseconds(250), Hc5Timeouts.bound(config, nanos(Duration.ofMillis(250))).getResponseTimeout());
  }

  @Test
  void theTimeLeftIsRoundedUpAndNeverZeroWhichWouldMeanNoTimeout() {
    RequestConfig config = RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30)).build();

    assertEquals(Timeout.ofMilliseconds(2), Hc5Timeouts.bound(config, 1_000_001).getResponseTimeout());
    assertEquals(Timeout.ofMilliseconds(1), Hc5Timeouts.bound(config, 0).getResponseTimeout());
    assertEquals(Timeout.ofMilliseconds(1), Hc5Timeouts.bound(config, -5_000_000).getResponseTimeout());
  }

  @Test
  void withinTheSlackNothingIsRebuilt() {
    RequestConfig config = RequestConfig.custom().setConnectionRequestTimeout(Timeout.ofMilliseconds(1010))
        .setResponseTimeout(Timeout.ofMilliseconds(1005)).build();

    assertSame(config, Hc5Timeouts.bound(config, nanos(Duration.ofMillis(1000))));
  }
}
