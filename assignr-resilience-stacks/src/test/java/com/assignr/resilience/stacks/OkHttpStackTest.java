package com.assignr.resilience.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.assignr.resilience.okhttp.AssignrCallFactory;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/** Writes through OkHttp (5 in one run, 4.12 in the other): the interceptor and the call factory. */
@Timeout(60)
class OkHttpStackTest {
  static final Rig RIG = new Rig("okhttp-" + Rig.okHttpVersion());
  static final String OKHTTP = "OkHttp " + Rig.okHttpVersion();

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  @Test
  void theIntendedOkHttpIsOnTheClasspath() {
    assertEquals(System.getProperty("okhttp.expected.version"), Rig.okHttpVersion());
  }

  /** The README's setup. */
  @TestFactory
  Stream<DynamicTest> interceptorConfigured() {
    return RIG.matrix(OKHTTP + ", AssignrInterceptor.configure", false, r -> {
      OkHttpClient client = AssignrInterceptor.configure(RIG.okHttp(), r).build();
      return new OkHttpStack(client, client, RIG.base(), false);
    });
  }

  @TestFactory
  Stream<DynamicTest> interceptorConfiguredEnqueue() {
    return RIG.matrix(OKHTTP + ", AssignrInterceptor.configure, enqueue", false, r -> {
      OkHttpClient client = AssignrInterceptor.configure(RIG.okHttp(), r).build();
      return new OkHttpStack(client, client, RIG.base(), true);
    });
  }

  /** The interceptor alone, without configure's redirect setting, still keeps writes from OkHttp's replay. */
  @TestFactory
  Stream<DynamicTest> interceptorAddedByHand() {
    return RIG.matrix(OKHTTP + ", interceptor via addInterceptor", false, r -> {
      OkHttpClient client = RIG.okHttp().addInterceptor(AssignrInterceptor.create(r)).build();
      return new OkHttpStack(client, client, RIG.base(), false);
    });
  }

  @TestFactory
  Stream<DynamicTest> factoryExecute() {
    return RIG.matrix(OKHTTP + ", AssignrCallFactory execute", false, r -> {
      OkHttpClient client = RIG.okHttp().build();
      return new OkHttpStack(AssignrCallFactory.create(client, r), client, RIG.base(), false);
    });
  }

  @TestFactory
  Stream<DynamicTest> factoryEnqueue() {
    return RIG.matrix(OKHTTP + ", AssignrCallFactory enqueue", false, r -> {
      OkHttpClient client = RIG.okHttp().build();
      return new OkHttpStack(AssignrCallFactory.create(client, r), client, RIG.base(), true);
    });
  }
}
