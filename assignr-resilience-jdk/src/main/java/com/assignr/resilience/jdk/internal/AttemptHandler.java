package com.assignr.resilience.jdk.internal;

import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.Objects;

/**
 * The body handler given to the wrapped client for one attempt: the caller's handler for a
 * response that may be returned, an {@link ExcerptSubscriber} for one that will not be.
 */
final class AttemptHandler<T> implements BodyHandler<AttemptBody<T>> {
  private final BodyHandler<T> callerHandler;
  private final PreparedCall call;
  private final int attempt;

  AttemptHandler(BodyHandler<T> callerHandler, PreparedCall call, int attempt) {
    this.callerHandler = callerHandler;
    this.call = call;
    this.attempt = attempt;
  }

  @Override
  public BodySubscriber<AttemptBody<T>> apply(ResponseInfo info) {
    if (call.willDiscard(attempt, info.statusCode(), Responses.lookup(info.headers()))) {
      return new ExcerptSubscriber<>(call.excerptBytes());
    }
    BodySubscriber<T> subscriber = Objects.requireNonNull(callerHandler.apply(info),
        "the BodyHandler returned null");
    return BodySubscribers.mapping(subscriber, AttemptBody.Delivered::new);
  }
}
