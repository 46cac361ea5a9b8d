package com.assignr.resilience.okhttp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.RequestInfo;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OkHttpRequestsTest {
  @Test
  void duplexAndOneShotBodiesAreNotReplayable() {
    assertFalse(info(new Body(true, false)).replayableBody());
    assertFalse(info(new Body(false, true)).replayableBody());
    assertTrue(info(new Body(false, false)).replayableBody());
    RequestInfo get = OkHttpRequests.info(new Request.Builder().url("https://api.assignr.com/api/v2/games?token=secret").build());
    assertEquals("GET api.assignr.com/api/v2/games", get.toString()); // no query string
  }

  @Test
  void headersReadTheFirstValueCaseInsensitively() {
    Response response = new Response.Builder()
        .request(new Request.Builder().url("https://api.assignr.com/").build())
        .protocol(Protocol.HTTP_1_1).code(200).message("OK")
        .addHeader("X-Ratelimit-Remaining", "5").addHeader("x-ratelimit-remaining", "9")
        .build();
    assertEquals("5", OkHttpResponses.ADAPTER.headers(response).first("X-RATELIMIT-REMAINING"));
    assertEquals(null, OkHttpResponses.ADAPTER.headers(response).first("Retry-After"));
  }

  private static RequestInfo info(RequestBody body) {
    return OkHttpRequests.info(new Request.Builder().url("https://api.assignr.com/api/v2/games/1").put(body).build());
  }

  private static final class Body extends RequestBody {
    private final boolean oneShot;
    private final boolean duplex;

    Body(boolean oneShot, boolean duplex) {
      this.oneShot = oneShot;
      this.duplex = duplex;
    }

    @Override public MediaType contentType() { return null; }

    @Override public boolean isOneShot() { return oneShot; }

    @Override public boolean isDuplex() { return duplex; }

    @Override public void writeTo(BufferedSink sink) {}
  }
}
