package com.assignr.resilience.testkit;

import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Instant;

/**
 * One request the simulator received, for assertions. The {@code Authorization} value is never
 * stored, only whether one was sent.
 *
 * <p>Every arrival gets an entry, whatever its fate: answered, refused (429, 401), scripted, or
 * broken before or after the API model processed it. {@link #processed()} tells whether the API
 * model acted on the request; {@link #connectionFault()} whether the client got a broken answer.
 * So a request that created a game and then lost its answer ({@link FaultScript.Trigger#processThenReset()})
 * reads {@code processed() == true}, {@code status() == 0}, {@code apiStatus() == 201}.
 *
 * @param sequence arrival order, from 1, unique per simulator until its {@link AssignrSimulator#reset()}
 * @param method HTTP method, upper case
 * @param scheme {@code http} or {@code https}
 * @param path the path without the query, e.g. {@code /api/v2/sites/1/games}
 * @param query the raw query without {@code ?}, or the empty string
 * @param arrivedAt arrival time on the simulator's (injected) clock
 * @param status the status sent to the client, or 0 when a connection-level {@link Fault} left it
 *     without a response byte
 * @param fault the connection-level fault that replaced the answer, or {@code null}
 * @param acceptHeaderValid whether {@code Accept} included {@code application/vnd.assignr.v2.hal+json}
 * @param authorizationPresent whether a non-blank {@code Authorization} header was sent
 * @param scripted whether a {@link FaultScript} rule chose the response or broke the API model's
 *     answer (a delay alone does not count)
 * @param delayMillis scripted delay added before the response, 0 if none
 * @param apiStatus the status the API model decided when it processed the request, also when that
 *     answer was then dropped or cut short; 0 when the request never reached the model (a fault
 *     before processing, a scripted response, a 302, 429 or 401)
 * @param bodyTruncated whether the answer's body was cut short of its declared
 *     {@code Content-Length} and the connection closed
 * @param contentType the request's {@code Content-Type} header as sent, or {@code null} when it
 *     sent none (Assignr asks one of every POST, with or without a body)
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
    long delayMillis,
    int apiStatus,
    boolean bodyTruncated,
    String contentType) {

  /**
   * The path with {@code ?query} when there is one.
   *
   * @return e.g. {@code /api/v2/sites/1/games?page=2}
   */
  public String pathAndQuery() {
    return query.isEmpty() ? path : path + "?" + query;
  }

  /**
   * Whether the connection was broken instead of answered in full: a {@link #fault()} before or
   * after processing, or a {@linkplain #bodyTruncated() truncated body}.
   *
   * @return true when the client got no complete answer
   */
  public boolean connectionFault() {
    return fault != null || bodyTruncated;
  }

  /**
   * Whether the API model acted on the request (a POST created its game, a PUT saved or answered
   * 409...), whatever the client then received.
   *
   * @return true when {@link #apiStatus()} is set
   */
  public boolean processed() {
    return apiStatus != 0;
  }
}
