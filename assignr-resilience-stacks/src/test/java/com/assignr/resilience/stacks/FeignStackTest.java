package com.assignr.resilience.stacks;

import com.assignr.resilience.okhttp.AssignrInterceptor;
import feign.Feign;
import feign.FeignException;
import feign.Headers;
import feign.RequestLine;
import feign.Retryer;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/** Writes through Feign with feign-okhttp over a client that has the interceptor. */
@Timeout(60)
class FeignStackTest {
  static final Rig RIG = new Rig("feign-okhttp-" + Rig.okHttpVersion());
  static final String FEIGN = "Feign + feign-okhttp on OkHttp " + Rig.okHttpVersion();

  /** Each method answers the status of a 2xx (the decoder below); Feign throws for the rest. */
  @Headers("Content-Type: application/vnd.assignr.v2.hal+json")
  interface Api {
    @RequestLine("GET /current_account")
    Integer currentAccount();

    @RequestLine("POST /sites/1/games")
    Integer createGame(String json);

    @RequestLine("PUT /games/1001")
    Integer updateGame(String json);
  }

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  /** Feign as configured, over {@code client}. */
  static StackClient feign(OkHttpClient client, Retryer retryer) {
    Api api = Feign.builder()
        .client(new feign.okhttp.OkHttpClient(client))
        .retryer(retryer)
        .decoder((response, type) -> response.status())
        .target(Api.class, RIG.base());
    return new StackClient() {
      @Override
      public int get(String path) {
        return status(api::currentAccount);
      }

      @Override
      public int write(String method, String path, String json) {
        return status(() -> method.equals("PUT") ? api.updateGame(json) : api.createGame(json));
      }

      @Override
      public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    };
  }

  /** The status Feign answered with or threw (a FeignException for a 4xx/5xx in responses mode). */
  static int status(java.util.function.Supplier<Integer> call) {
    try {
      return call.get();
    } catch (FeignException e) {
      if (e.status() > 0) return e.status();
      throw e;
    }
  }

  /** Feign's default Retryer (5 attempts), its 100 ms period cut to 1 ms so the test runs fast. */
  static Retryer feignDefault() {
    return new Retryer.Default(1, 1, 5);
  }

  @TestFactory
  Stream<DynamicTest> defaultRetryerWithExceptions() {
    return RIG.matrix(FEIGN + ", throwOnFailure, Feign's default Retryer", true,
        r -> feign(RIG.okHttpWithToken().addInterceptor(AssignrInterceptor.create(r)).build(), feignDefault()));
  }

  @TestFactory
  Stream<DynamicTest> neverRetryWithExceptions() {
    return RIG.matrix(FEIGN + ", throwOnFailure, Retryer.NEVER_RETRY", true,
        r -> feign(RIG.okHttpWithToken().addInterceptor(AssignrInterceptor.create(r)).build(), Retryer.NEVER_RETRY));
  }

  @TestFactory
  Stream<DynamicTest> defaultRetryerWithResponses() {
    return RIG.matrix(FEIGN + ", responses (default), Feign's default Retryer", false,
        r -> feign(RIG.okHttpWithToken().addInterceptor(AssignrInterceptor.create(r)).build(), feignDefault()));
  }
}
