package com.assignr.resilience.stacks;

import com.assignr.resilience.jdk.AssignrHttpClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/** Writes through the java.net.http decorator alone, with a replayable body and a single-use one. */
@Timeout(60)
class JdkStackTest {
  static final Rig RIG = new Rig("jdk");

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  static StackClient jdk(HttpClient client, boolean async, Function<String, BodyPublisher> body) {
    return new StackClient() {
      @Override
      public int get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(RIG.base() + path)).GET());
      }

      @Override
      public int write(String method, String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(RIG.base() + path)).method(method, body.apply(json)));
      }

      private int send(HttpRequest.Builder request) throws Exception {
        HttpRequest r = request.header("Authorization", OkHttpStack.TOKEN).build();
        if (!async) return client.send(r, BodyHandlers.discarding()).statusCode();
        try {
          return client.sendAsync(r, BodyHandlers.discarding()).get().statusCode();
        } catch (java.util.concurrent.ExecutionException e) {
          throw (Exception) e.getCause();
        }
      }
    };
  }

  static HttpClient wrapped(com.assignr.resilience.AssignrResilience r) {
    return AssignrHttpClient.wrap(HttpClient.newBuilder().sslContext(RIG.sim.sslContext()).build(), r);
  }

  /** A body java.net.http can publish only once: the stream is read when it is first sent. */
  static BodyPublisher singleUse(String json) {
    ByteArrayInputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    return BodyPublishers.ofInputStream(() -> in);
  }

  @TestFactory
  Stream<DynamicTest> sendWithAStringBody() {
    return RIG.matrix("java.net.http + AssignrHttpClient, send, ofString", false,
        r -> jdk(wrapped(r), false, BodyPublishers::ofString));
  }

  @TestFactory
  Stream<DynamicTest> sendAsyncWithAStringBody() {
    return RIG.matrix("java.net.http + AssignrHttpClient, sendAsync, ofString", false,
        r -> jdk(wrapped(r), true, BodyPublishers::ofString));
  }

  @TestFactory
  Stream<DynamicTest> sendWithASingleUseBody() {
    return RIG.matrix("java.net.http + AssignrHttpClient, send, single-use ofInputStream", false,
        r -> jdk(wrapped(r), false, JdkStackTest::singleUse));
  }

  @TestFactory
  Stream<DynamicTest> sendAsyncWithASingleUseBody() {
    return RIG.matrix("java.net.http + AssignrHttpClient, sendAsync, single-use ofInputStream", false,
        r -> jdk(wrapped(r), true, JdkStackTest::singleUse));
  }
}
