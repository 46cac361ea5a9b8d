package com.assignr.resilience.oauth;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A hand-written {@link HttpClient}, as users write them: each call is answered by a function of
 * the request, which may throw instead of returning a future. Records every future it returned.
 */
class StubHttpClient extends HttpClient {
  final Function<HttpRequest, CompletableFuture<HttpResponse<?>>> answer;
  final CopyOnWriteArrayList<CompletableFuture<HttpResponse<?>>> futures = new CopyOnWriteArrayList<>();
  final CopyOnWriteArrayList<HttpRequest> requests = new CopyOnWriteArrayList<>();

  StubHttpClient(Function<HttpRequest, CompletableFuture<HttpResponse<?>>> answer) {
    this.answer = answer;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    try {
      return sendAsync(request, handler).get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IOException(e.getCause());
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
    requests.add(request);
    CompletableFuture<HttpResponse<?>> future = answer.apply(request);
    futures.add(future);
    return (CompletableFuture<HttpResponse<T>>) (CompletableFuture<?>) future;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
      PushPromiseHandler<T> push) {
    return sendAsync(request, handler);
  }

  @Override public Optional<CookieHandler> cookieHandler() { return Optional.empty(); }
  @Override public Optional<Duration> connectTimeout() { return Optional.of(Duration.ofSeconds(3)); }
  @Override public Redirect followRedirects() { return Redirect.NEVER; }
  @Override public Optional<ProxySelector> proxy() { return Optional.empty(); }
  @Override public SSLContext sslContext() { return null; }
  @Override public SSLParameters sslParameters() { return new SSLParameters(); }
  @Override public Optional<Authenticator> authenticator() { return Optional.empty(); }
  @Override public Version version() { return Version.HTTP_1_1; }
  @Override public Optional<Executor> executor() { return Optional.empty(); }
}
