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

/**
 * The fastest server we can put on loopback: the JDK's own {@code HttpServer}, answering every
 * request on its dispatcher thread with a tiny 200 and Assignr's rate-limit headers showing plenty
 * left (so the gate never closes and every call is a first-attempt success). WireMock costs
 * hundreds of microseconds a request, which would hide the client overhead being measured.
 */
public final class LoopbackServer implements AutoCloseable {
  private static final byte[] BODY = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);

  private final HttpServer server;

  private LoopbackServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a random loopback port. */
  public static LoopbackServer start() throws IOException {
    // The JDK server writes headers and body separately; with Nagle on, the body waits for the
    // client's delayed ACK (40 ms on Linux). Read once, when the server's configuration loads.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.createContext("/", LoopbackServer::answer);
    server.setExecutor(null); // answer on the dispatcher thread: no hand-off per request
    server.start();
    return new LoopbackServer(server);
  }

  private static void answer(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
    }
    Headers h = exchange.getResponseHeaders();
    h.add("Content-Type", "application/vnd.assignr.v2.hal+json");
    h.add("X-Ratelimit-Limit", "1000000");
    h.add("X-Ratelimit-Period", "3600");
    h.add("X-Ratelimit-Remaining", "999999");
    h.add("X-Ratelimit-Reset-Seconds-Remaining", "3599");
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
