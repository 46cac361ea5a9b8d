package com.assignr.resilience.oauth;


import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A {@link TokenSource} whose answers the test scripts: it counts every fetch and keeps each
 * fetch's future, so a test can hold one open ({@link #pending()}) and complete it later.
 */
final class TestTokenSource implements TokenSource {
  final AtomicInteger fetches = new AtomicInteger();
  final List<CompletableFuture<AccessToken>> futures = new CopyOnWriteArrayList<>();
  private volatile IntFunction<CompletableFuture<AccessToken>> next;

  TestTokenSource(IntFunction<CompletableFuture<AccessToken>> next) {
    this.next = next;
  }

  /** Answers {@code "t<n>"} valid for {@code lifetime} at once, n counting fetches from 1. */
  static IntFunction<CompletableFuture<AccessToken>> healthy(Duration lifetime) {
    return n -> CompletableFuture.completedFuture(AccessToken.bearer("t" + n, lifetime));
  }

  /** Never answers by itself: the test completes {@link #futures}. */
  static IntFunction<CompletableFuture<AccessToken>> pending() {
    return n -> new CompletableFuture<>();
  }

  /** Fails every fetch with {@code failure}. */
  static IntFunction<CompletableFuture<AccessToken>> failing(Throwable failure) {
    return n -> CompletableFuture.failedFuture(failure);
  }

  void then(IntFunction<CompletableFuture<AccessToken>> behaviour) {
    this.next = behaviour;
  }

  int count() {
    return fetches.get();
  }

  CompletableFuture<AccessToken> last() {
    return futures.get(futures.size() - 1);
  }

  @Override
  public CompletableFuture<AccessToken> fetchToken() {
    int n = fetches.incrementAndGet();
    CompletableFuture<AccessToken> f = next.apply(n);
    futures.add(f);
    return f;
  }
}
