package com.assignr.resilience.oauth;

import com.assignr.resilience.RetryListener;
import com.assignr.resilience.Slf4jRetryListener;
import com.assignr.resilience.spi.AuthorizationFailure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.testing.CapturingLogger;
import com.assignr.resilience.testkit.VirtualTime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No client secret, client id, token or Authorization value reaches a log line (at TRACE), an
 * event, an exception (message, cause chain, suppressed), a toString or a quota key, on any path
 * of {@link Credentials}: success, refresh, endpoint errors whose bodies echo the request,
 * malformed answers, timeouts, too-short tokens and invalidation.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredentialsHygieneTest {
  static final String CLIENT_ID = "cid-SECRETCLIENT-77";
  static final String SECRET = "cs-SUPERSECRET-4711";
  static final String TOKEN = "tok-TOPSECRET-0815";
  static final List<String> NEVER = List.of("SECRETCLIENT", "SUPERSECRET", "TOPSECRET");

  final CapturingLogger logger = new CapturingLogger();
  final List<String> texts = new ArrayList<>();

  /** Logs every event with every argument and the failure's whole stack trace, at TRACE. */
  final RetryListener traceEverything = new RetryListener() {
    @Override public void onTokenRefreshed(String key, Duration validFor) {
      logger.trace("token refreshed {} {}", key, validFor);
    }
    @Override public void onTokenRefreshFailed(String key, Throwable failure) {
      logger.trace("token refresh failed {} {}", key, stackTrace(failure));
    }
  };

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Test
  void noPathOfCredentialsPrintsASecret() throws Exception {
    VirtualTime time = VirtualTime.manual();
    ClientCredentialsGrant grant = ClientCredentialsGrant.of(AssignrOAuth.ASSIGNR_TOKEN_URI,
        CLIENT_ID, SECRET, "read write", false);
    String echo = grant.formBody(); // what an endpoint that echoes the request sends back
    List<String> answers = List.of(
        "200|{\"access_token\":\"" + TOKEN + "-1\",\"token_type\":\"Bearer\",\"expires_in\":7200}",
        "400|{\"error\":\"invalid_client\",\"error_description\":\"" + echo + "\"}",
        "401|" + echo,
        "500|<html><pre>" + echo + "</pre></html>",
        "200|{\"access_token\":\"" + TOKEN + " -2\",\"expires_in\":7200}",
        "200|{\"access_token\":\"" + TOKEN + "-3\",\"token_type\":\"" + SECRET + "\"}",
        "200|{\"access_token\":\"" + TOKEN + "-4\",\"expires_in\":\"" + SECRET + "\"}",
        "200|{\"access_token\":\"" + TOKEN + "-5\",\"error\":\"" + echo + "\"}",
        "200|" + echo,
        "200|{\"access_token\":\"" + TOKEN + "-6\",\"expires_in\":5}",
        "hang|",
        "200|{\"access_token\":\"" + TOKEN + "-7\",\"token_type\":\"bearer\",\"expires_in\":7200}");
    int[] next = {0};
    TokenSource source = () -> {
      String[] a = answers.get(Math.min(next[0]++, answers.size() - 1)).split("\\|", 2);
      if (a[0].equals("hang")) return new CompletableFuture<>();
      try {
        return CompletableFuture.completedFuture(grant.interpret(Integer.parseInt(a[0]), a[1], false));
      } catch (TokenEndpointException e) {
        return CompletableFuture.failedFuture(e);
      }
    };
    Credentials credentials = AssignrOAuth.builder().tokenSource(source).clientId(CLIENT_ID).timeSource(time)
        .random(() -> 0.0).fetchTimeout(Duration.ofSeconds(5))
        .listener(RetryListener.composite(Slf4jRetryListener.create(logger), traceEverything)).build();

    String first = credentials.authorization(0);
    texts.add(credentials.toString());
    assertTrue(credentials.invalidate(first));
    for (int i = 0; i < answers.size(); i++) {
      try {
        texts.add(credentials.authorization(0));
        break; // the last answer is a good token again
      } catch (AuthorizationFailure e) {
        texts.add(stackTrace(e));
        texts.add(e.toString());
      }
      CompletableFuture<String> async = credentials.authorizationAsync();
      time.advance(Duration.ofMinutes(2)); // past any backoff and the fetch timeout
      try {
        texts.add(async.get(5, TimeUnit.SECONDS));
        break;
      } catch (ExecutionException e) {
        texts.add(stackTrace(e));
      }
      texts.add(credentials.toString());
    }
    String last = texts.get(texts.size() - 1);
    assertTrue(last.equals("Bearer " + TOKEN + "-7"), "reached the last, good answer: " + last);
    texts.remove(texts.size() - 1);
    texts.add(credentials.toString());
    texts.add(credentials.quotaKey());
    texts.add(grant.toString());
    texts.add(AccessToken.bearer(TOKEN, Duration.ofHours(2)).toString());
    texts.add(TokenSource.fixed(AccessToken.bearer(TOKEN)).toString());
    texts.add(stackTrace(assertThrows(IllegalArgumentException.class,
        () -> AccessToken.bearer(TOKEN + "\r\nX: " + SECRET))));
    texts.addAll(logger.lines);

    assertTrue(logger.lines.stream().filter(l -> l.contains("token refresh failed")).count() >= 9,
        "every failure was logged at TRACE: " + logger.lines);
    assertTrue(logger.lines.stream().anyMatch(l -> l.contains("HTTP 400 (invalid_client)")), logger.lines.toString());
    assertTrue(logger.lines.stream().anyMatch(l -> l.contains("did not answer within 5000 ms")), logger.lines.toString());
    for (String text : texts) {
      for (String secret : NEVER) assertFalse(text.contains(secret), "leaked " + secret + ": " + text);
    }
  }
}
