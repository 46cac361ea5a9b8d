package com.assignr.resilience.benchmarks;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fastest server we can put on loopback: the JDK's own {@code HttpServer}, answering every
 * request on its dispatcher thread with a tiny 200 and Assignr's rate-limit headers showing plenty
 * left (so the gate never closes and every call is a first-attempt success). WireMock costs
 * hundreds of microseconds a request, which would hide the client overhead being measured.
 */
public final class LoopbackServer implements AutoCloseable {
  private static final byte[] BODY = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);

  private final HttpServer server;
  private final AtomicLong served = new AtomicLong();
  private final String remaining;
  private final String resetSeconds;

  private LoopbackServer(HttpServer server, String remaining, String resetSeconds) {
    this.server = server;
    this.remaining = remaining;
    this.resetSeconds = resetSeconds;
  }

  /** Starts on a random loopback port, answering that plenty of requests are left. */
  public static LoopbackServer start() throws IOException {
    return start(999_999, 3599);
  }

  /**
   * Starts on a random loopback port, answering every request with 200 and these rate-limit
   * headers; {@code remaining} 0 closes our gate for {@code resetSeconds} (plus the margin).
   */
  public static LoopbackServer start(int remaining, int resetSeconds) throws IOException {
    // The JDK server writes headers and body separately; with Nagle on, the body waits for the
    // client's delayed ACK (40 ms on Linux). Read once, when the server's configuration loads.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    LoopbackServer loopback = new LoopbackServer(server, Integer.toString(remaining), Integer.toString(resetSeconds));
    server.createContext("/", loopback::answer);
    server.setExecutor(null); // answer on the dispatcher thread: no hand-off per request
    server.start();
    return loopback;
  }

  /** Requests answered so far. */
  public long served() {
    return served.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    served.incrementAndGet();
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
    }
    Headers h = exchange.getResponseHeaders();
    h.add("Content-Type", "application/vnd.assignr.v2.hal+json");
    h.add("X-Ratelimit-Limit", "1000000");
    h.add("X-Ratelimit-Period", "3600");
    h.add("X-Ratelimit-Remaining", remaining);
    h.add("X-Ratelimit-Reset-Seconds-Remaining", resetSeconds);
    exchange.sendResponseHeaders(200, BODY.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(BODY);
    }
  }

  /** {@code http://127.0.0.1:PORT/api/v2/games/1} (loopback, so allowInsecureLoopback applies). */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/games/1";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
