package com.assignr.resilience.jdk.internal;

import com.assignr.resilience.spi.HeaderTimeContext;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.Objects;

/**
 * The body handler given to the wrapped client for one attempt. When the status and headers
 * arrive it asks the executor to settle the attempt ({@link HeaderTimeContext#settleOnHeaders}), once:
 * a response that will be returned is read by the caller's handler, one that will be retried or
 * thrown by an {@link ExcerptSubscriber}, which keeps a bounded excerpt and drains the rest.
 */
final class AttemptHandler<T> implements BodyHandler<AttemptBody<T>> {
  private final BodyHandler<T> callerHandler;
  private final HeaderTimeContext attempt;
  private final int excerptBytes;

  AttemptHandler(BodyHandler<T> callerHandler, HeaderTimeContext attempt, int excerptBytes) {
    this.callerHandler = callerHandler;
    this.attempt = attempt;
    this.excerptBytes = excerptBytes;
  }

  @Override
  public BodySubscriber<AttemptBody<T>> apply(ResponseInfo info) {
    if (!attempt.settleOnHeaders(info.statusCode(), Responses.lookup(info.headers()))) {
      return new ExcerptSubscriber<>(excerptBytes);
    }
    BodySubscriber<T> subscriber = Objects.requireNonNull(callerHandler.apply(info),
        "the BodyHandler returned null");
    return BodySubscribers.mapping(subscriber, AttemptBody.Delivered::new);
  }
}
