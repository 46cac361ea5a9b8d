package com.assignr.resilience.spring.boot;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.RequestInfo;
import com.assignr.resilience.spi.CallOptions;
import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.ResponseAdapter;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * One call through a configuration's executor, answered in memory with a status and headers: how
 * these tests teach a quota's gate what a response would, the way a real call does (users see
 * gates only as snapshots).
 */
final class InMemoryCall {
  static final RequestInfo SITES = RequestInfo.of("GET", URI.create("https://api.assignr.com/api/v2/sites"), true);

  private InMemoryCall() {}

  /**
   * Sends one call that is answered {@code status} with {@code headers}. It is bounded by a 1 s
   * deadline, so a 429 ends at once (its reset lies beyond the deadline) instead of being waited out.
   *
   * @param authorization the request's {@code Authorization} (names the default quota), or null
   */
  static void answer(AssignrResilience resilience, String authorization, int status, HeaderLookup headers) {
    try {
      resilience.executor().execute(SITES,
          CallOptions.none().withCredentials(authorization).withTimeout(Duration.ofSeconds(1)),
          attempt -> status, new ResponseAdapter<Integer>() {
            @Override public int status(Integer s) { return s; }
            @Override public HeaderLookup headers(Integer s) { return headers; }
            @Override public void discard(Integer s) {}
          });
    } catch (IOException refused) {
      // a non-success ends typed when exceptions are asked for: the gate has learned all the same
    }
  }

  /** Headers of a response with 170 requests left of 180 in a 60 s window that resets in 30 s. */
  static HeaderLookup headers(String remaining) {
    return name -> switch (name) {
      case "X-Ratelimit-Remaining" -> remaining;
      case "X-Ratelimit-Reset-Seconds-Remaining" -> "30";
      case "X-Ratelimit-Limit" -> "180";
      case "X-Ratelimit-Period" -> "60";
      default -> null;
    };
  }
}
