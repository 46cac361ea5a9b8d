package com.assignr.resilience.testkit;

import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Instant;

/**
 * One request to the simulated OAuth token endpoint, for assertions. The client secret and the
 * access token are never stored: only whether a secret was sent and whether a token was issued.
 *
 * @param sequence arrival order at the token endpoint, from 1
 * @param method HTTP method, upper case
 * @param scheme {@code http} or {@code https}
 * @param arrivedAt arrival time on the simulator's (injected) clock
 * @param clientId the {@code client_id} sent (form field or HTTP Basic user), or null; client ids
 *     are not secret in OAuth
 * @param secretPresent whether a non-empty client secret was sent (form field or HTTP Basic)
 * @param grantType the {@code grant_type} sent, or null
 * @param scope the {@code scope} sent, or null
 * @param status the status sent, or 0 when a connection {@link Fault} replaced the answer
 * @param error the OAuth {@code error} code sent (e.g. {@code invalid_client}), or null
 * @param fault the connection fault, or null
 * @param scripted whether a {@link TokenScript} rule chose or changed the answer (a delay alone
 *     does not count)
 * @param delayMillis scripted delay before the answer, 0 if none
 * @param tokenIssued whether a usable access token was issued and sent
 */
public record TokenRequest(
    long sequence,
    String method,
    String scheme,
    Instant arrivedAt,
    String clientId,
    boolean secretPresent,
    String grantType,
    String scope,
    int status,
    String error,
    Fault fault,
    boolean scripted,
    long delayMillis,
    boolean tokenIssued) {}
