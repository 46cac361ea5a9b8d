package com.assignr.resilience.feign;

import feign.FeignException;
import feign.Response;
import feign.RetryableException;
import feign.codec.ErrorDecoder;

/**
 * The builder's {@link ErrorDecoder} (the user's, or Feign's default), except that a final answer
 * is never a {@link RetryableException}. Feign's default makes one of any response with {@code
 * Retry-After}; under the library that response is the last of the attempts it allowed, the header
 * already honoured up to its caps. The caller gets the status's own exception instead ({@code
 * FeignException.ServiceUnavailable}, {@code TooManyRequests}…), which no layer above mistakes for
 * an invitation to resend.
 */
final class FinalErrorDecoder implements ErrorDecoder {
  private final ErrorDecoder delegate;

  FinalErrorDecoder(ErrorDecoder delegate) {
    this.delegate = delegate;
  }

  @Override
  public Exception decode(String methodKey, Response response) {
    Exception decoded = delegate.decode(methodKey, response);
    if (decoded instanceof RetryableException retryable && retryable.getCause() instanceof FeignException status) {
      return status;
    }
    return decoded;
  }

  @Override
  public String toString() {
    return "FinalErrorDecoder{" + delegate + '}';
  }
}
