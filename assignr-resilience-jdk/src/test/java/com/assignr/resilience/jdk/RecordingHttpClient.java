package com.assignr.resilience.jdk;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real client with a window on what the adapter gives it: the requests as sent, the number of
 * body bytes that flowed through each attempt's subscriber, and each attempt's response (whose
 * body is the adapter's internal holder: delivered, or a bounded excerpt).
 */
final class RecordingHttpClient extends HttpClient {
  final HttpClient real;
  final List<HttpRequest> requests = new CopyOnWriteArrayList<>();
  final List<HttpResponse<?>> responses = new CopyOnWriteArrayList<>();
  final List<Long> bodyBytes = new CopyOnWriteArrayList<>();

  RecordingHttpClient(HttpClient real) {
    this.real = real;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    requests.add(request);
    HttpResponse<T> response = real.send(request, counting(handler));
    responses.add(response);
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
    requests.add(request);
    CompletableFuture<HttpResponse<T>> future = real.sendAsync(request, counting(handler));
    future.thenAccept(responses::add);
    return future;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
      PushPromiseHandler<T> push) {
    requests.add(request);
    return real.sendAsync(request, handler, push);
  }

  private <T> BodyHandler<T> counting(BodyHandler<T> handler) {
    return info -> {
      BodySubscriber<T> inner = handler.apply(info);
      AtomicLong count = new AtomicLong();
      return new BodySubscriber<T>() {
        @Override public CompletionStage<T> getBody() { return inner.getBody(); }
        @Override public void onSubscribe(Flow.Subscription s) { inner.onSubscribe(s); }
        @Override public void onNext(List<ByteBuffer> items) {
          for (ByteBuffer b : items) count.addAndGet(b.remaining());
          inner.onNext(items);
        }
        @Override public void onError(Throwable t) { inner.onError(t); }
        @Override public void onComplete() {
          bodyBytes.add(count.get());
          inner.onComplete();
        }
      };
    };
  }

  @Override public Optional<CookieHandler> cookieHandler() { return real.cookieHandler(); }
  @Override public Optional<Duration> connectTimeout() { return real.connectTimeout(); }
  @Override public Redirect followRedirects() { return real.followRedirects(); }
  @Override public Optional<ProxySelector> proxy() { return real.proxy(); }
  @Override public SSLContext sslContext() { return real.sslContext(); }
  @Override public SSLParameters sslParameters() { return real.sslParameters(); }
  @Override public Optional<Authenticator> authenticator() { return real.authenticator(); }
  @Override public Version version() { return real.version(); }
  @Override public Optional<Executor> executor() { return real.executor(); }
}
