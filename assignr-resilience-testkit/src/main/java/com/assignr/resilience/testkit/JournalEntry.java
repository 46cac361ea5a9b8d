package com.assignr.resilience.testkit;

import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Instant;

/**
 * One request the simulator received, for assertions. The {@code Authorization} value is never
 * stored, only whether one was sent.
 *
 * @param sequence arrival order, from 1, unique per simulator
 * @param method HTTP method, upper case
 * @param scheme {@code http} or {@code https}
 * @param path the path without the query, e.g. {@code /api/v2/sites/1/games}
 * @param query the raw query without {@code ?}, or the empty string
 * @param arrivedAt arrival time on the simulator's (injected) clock
 * @param status the status served, or 0 when a connection-level {@link Fault} was injected
 * @param fault the injected connection-level fault, or {@code null}
 * @param acceptHeaderValid whether {@code Accept} included {@code application/vnd.assignr.v2.hal+json}
 * @param authorizationPresent whether a non-blank {@code Authorization} header was sent
 * @param scripted whether the response came from a {@link FaultScript} rule rather than the API model
 * @param delayMillis scripted delay added before the response, 0 if none
 */
public record JournalEntry(
    long sequence,
    String method,
    String scheme,
    String path,
    String query,
    Instant arrivedAt,
    int status,
    Fault fault,
    boolean acceptHeaderValid,
    boolean authorizationPresent,
    boolean scripted,
    long delayMillis) {

  /**
   * The path with {@code ?query} when there is one.
   *
   * @return e.g. {@code /api/v2/sites/1/games?page=2}
   */
  public String pathAndQuery() {
    return query.isEmpty() ? path : path + "?" + query;
  }

  /**
   * Whether the connection was broken instead of answered.
   *
   * @return true when {@link #fault()} is set
   */
  public boolean connectionFault() {
    return fault != null;
  }
}
