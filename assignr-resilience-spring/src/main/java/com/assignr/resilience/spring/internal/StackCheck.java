package com.assignr.resilience.spring.internal;

import java.lang.reflect.Field;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.support.HttpRequestWrapper;

/**
 * Looks below the interceptor, once, for an HTTP client that resends requests on its own. Spring
 * gives an interceptor no access to the request factory, so this reads Spring's private field
 * ({@code InterceptingClientHttpRequest.requestFactory}, and the field of a wrapping factory such
 * as {@code BufferingClientHttpRequestFactory}); when Spring changes, it finds nothing and says
 * nothing. Today it knows one such client: Apache HttpClient 5 with its default retry strategy
 * (Spring's {@code new HttpComponentsClientHttpRequestFactory()}, or what {@code
 * RestClient.builder()} and Boot pick whenever httpclient5 is on the classpath), told by {@code
 * AssignrHttpClient5.retriesOnItsOwn}. Not for users.
 */
public final class StackCheck {
  private static final String HC5_FACTORY = "org.springframework.http.client.HttpComponentsClientHttpRequestFactory";
  private static final boolean HC5_ADAPTER = present("org.apache.hc.client5.http.classic.HttpClient")
      && present("com.assignr.resilience.httpclient5.AssignrHttpClient5");

  private StackCheck() {}

  /** What is wrong below the interceptor that received {@code request}, or null. */
  public static String problem(HttpRequest request) {
    try {
      ClientHttpRequestFactory factory = factoryBelow(request);
      for (int depth = 0; factory != null && depth < 4; depth++) {
        if (factory.getClass().getName().equals(HC5_FACTORY)) return HC5_ADAPTER ? Hc5Check.problem(factory) : null;
        factory = field(factory, ClientHttpRequestFactory.class);
      }
    } catch (RuntimeException | LinkageError e) {
      // A Spring without these fields, or a module that does not open them: nothing to say.
    }
    return null;
  }

  private static ClientHttpRequestFactory factoryBelow(HttpRequest request) {
    HttpRequest r = request;
    for (int depth = 0; r instanceof HttpRequestWrapper && depth < 8; depth++) r = ((HttpRequestWrapper) r).getRequest();
    return field(r, ClientHttpRequestFactory.class);
  }

  /** The first field of {@code type} declared by {@code target}'s class or a superclass. */
  private static <T> T field(Object target, Class<T> type) {
    for (Class<?> c = target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (type.isAssignableFrom(f.getType()) && !java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          try {
            return type.cast(f.get(target));
          } catch (IllegalAccessException e) {
            return null;
          }
        }
      }
    }
    return null;
  }

  private static boolean present(String name) {
    try {
      Class.forName(name, false, StackCheck.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
