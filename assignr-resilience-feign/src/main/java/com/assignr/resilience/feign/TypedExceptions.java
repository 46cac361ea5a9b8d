package com.assignr.resilience.feign;

import com.assignr.resilience.AssignrException;
import feign.FeignException;
import feign.InvocationHandlerFactory;
import feign.RetryableException;
import feign.Target;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * What a caller holds when the library gave up: its {@link AssignrException} rather than Feign's
 * wrapper for it. Feign turns every {@code IOException} of its client, the library's typed
 * exceptions included, into a {@link RetryableException} (or, with {@code
 * ExceptionPropagationPolicy.UNWRAP}, rethrows the cause, which Java then wraps in an {@code
 * UndeclaredThrowableException} unless the method declares it). At the proxy, where the method's
 * {@code throws} clause is known, the library's exception is thrown as it is when the method
 * declares it (or a supertype: {@code IOException}, {@code Exception}), and as an {@link
 * AssignrFeignException} (unchecked, a {@code FeignException}) otherwise. Every other failure passes
 * through untouched.
 */
final class TypedExceptions implements InvocationHandlerFactory {
  private final InvocationHandlerFactory delegate;

  TypedExceptions(InvocationHandlerFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  @SuppressWarnings("rawtypes") // Feign's own signature
  public InvocationHandler create(Target target, Map<Method, MethodHandler> dispatch) {
    InvocationHandler handler = delegate.create(target, dispatch);
    return (proxy, method, args) -> {
      try {
        return handler.invoke(proxy, method, args);
      } catch (Throwable thrown) {
        AssignrException library = library(thrown);
        if (library == null) throw thrown;
        for (Class<?> declared : method.getExceptionTypes()) {
          if (declared.isInstance(library)) throw library;
        }
        throw AssignrFeignException.of(library,
            thrown instanceof FeignException feign && feign.hasRequest() ? feign.request() : null);
      }
    };
  }

  /** The library's exception, as Feign hands it on: itself (UNWRAP) or the cause of its wrapper. */
  private static AssignrException library(Throwable thrown) {
    if (thrown instanceof AssignrException library) return library;
    if (thrown instanceof RetryableException && thrown.getCause() instanceof AssignrException library) {
      return library;
    }
    return null;
  }

  @Override
  public String toString() {
    return "TypedExceptions{" + delegate + '}';
  }
}
