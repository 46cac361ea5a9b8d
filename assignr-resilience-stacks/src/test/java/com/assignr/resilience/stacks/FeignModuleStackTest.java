package com.assignr.resilience.stacks;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.feign.AssignrCapability;
import com.assignr.resilience.feign.AssignrFeign;
import feign.Feign;
import java.util.function.Function;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Writes through Feign with assignr-resilience-feign's capability, Feign's default Retryer left on
 * the builder (the capability makes it {@code NEVER_RETRY}): the same scenarios and counts as the
 * other stacks, over feign-okhttp ({@link FeignModuleJdkStackTest}: feign-java11). {@link
 * FeignStackTest} keeps the rows without the module, the trap among them.
 */
@Timeout(60)
class FeignModuleStackTest {
  static final Rig RIG = new Rig("feign-module-okhttp-" + Rig.okHttpVersion());
  static final String FEIGN_OKHTTP = "Feign + assignr-resilience-feign, AssignrFeign.okHttp on OkHttp "
      + Rig.okHttpVersion() + ", Feign's default Retryer";

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  /** Feign with the capability; Feign's own defaults otherwise (Retryer, Options, ErrorDecoder). */
  static StackClient feign(Rig rig, Function<AssignrResilience, AssignrCapability> capability,
      AssignrResilience r, OkHttpClient okhttp) {
    FeignStackTest.Api api = Feign.builder()
        .addCapability(capability.apply(r))
        .requestInterceptor(t -> t.header("Authorization", OkHttpStack.TOKEN))
        .decoder((response, type) -> response.status())
        .target(FeignStackTest.Api.class, rig.base());
    return new StackClient() {
      @Override
      public int get(String path) {
        return FeignStackTest.status(api::currentAccount);
      }

      @Override
      public int write(String method, String path, String json) {
        return FeignStackTest.status(() -> method.equals("PUT") ? api.updateGame(json) : api.createGame(json));
      }

      @Override
      public void close() {
        if (okhttp != null) okhttp.dispatcher().executorService().shutdown();
      }
    };
  }

  static StackClient overOkHttp(AssignrResilience r) {
    OkHttpClient okhttp = RIG.okHttp().build();
    return feign(RIG, c -> AssignrFeign.okHttp(okhttp, c), r, okhttp);
  }

  @TestFactory
  Stream<DynamicTest> okHttpWithExceptions() {
    return RIG.matrix(FEIGN_OKHTTP + ", throwOnFailure", true, FeignModuleStackTest::overOkHttp);
  }

  @TestFactory
  Stream<DynamicTest> okHttpWithResponses() {
    return RIG.matrix(FEIGN_OKHTTP + ", responses (default)", false, FeignModuleStackTest::overOkHttp);
  }
}
