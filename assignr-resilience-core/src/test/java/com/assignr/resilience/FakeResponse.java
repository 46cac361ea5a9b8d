package com.assignr.resilience;

import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.ResponseAdapter;

import java.util.concurrent.atomic.AtomicInteger;

/** Test helper: a response of an imaginary HTTP client, which counts how it was disposed of. */
final class FakeResponse {
  final int status;
  final Headers headers;
  final String body;
  final AtomicInteger discarded = new AtomicInteger();

  FakeResponse(int status, String body, String... headers) {
    this.status = status;
    this.body = body;
    this.headers = Headers.of(headers);
  }

  static FakeResponse of(int status, String... headers) {
    return new FakeResponse(status, "{\"status\":" + status + "}", headers);
  }

  static final ResponseAdapter<FakeResponse> ADAPTER = new ResponseAdapter<>() {
    @Override public int status(FakeResponse r) { return r.status; }
    @Override public HeaderLookup headers(FakeResponse r) { return r.headers; }
    @Override public void discard(FakeResponse r) { r.discarded.incrementAndGet(); }
    @Override public String bodyExcerpt(FakeResponse r, int max) {
      return r.body.length() > max ? r.body.substring(0, max) : r.body;
    }
  };

  @Override
  public String toString() {
    return "FakeResponse " + status;
  }
}
