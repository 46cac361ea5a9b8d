package com.assignr.resilience.spring.internal;

import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.ResponseAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.client.ClientHttpResponse;

/**
 * How core's executor sees a Spring {@link ClientHttpResponse}. Spring's {@code getStatusCode()}
 * may throw an {@link IOException}, which {@link ResponseAdapter#status} cannot; so each attempt
 * reads the status once, where an I/O failure is an attempt's failure, and keeps it beside the
 * response. Not for users.
 */
public final class SpringResponses implements ResponseAdapter<SpringResponses.Attempted> {
  public static final SpringResponses ADAPTER = new SpringResponses();

  /** UTF-8 takes at most 4 bytes a character. */
  private static final int MAX_BYTES_PER_CHAR = 4;

  /** One attempt's response and its status. */
  public record Attempted(ClientHttpResponse response, int status) {}

  private SpringResponses() {}

  /** Reads the status of a response just received; closes the response if that fails. */
  public static Attempted attempted(ClientHttpResponse response) throws IOException {
    try {
      return new Attempted(response, response.getStatusCode().value());
    } catch (IOException | RuntimeException e) {
      response.close();
      throw e;
    }
  }

  @Override
  public int status(Attempted attempted) {
    return attempted.status();
  }

  /** Spring's headers are case-insensitive; {@code getFirst} is what core asks for. */
  @Override
  public HeaderLookup headers(Attempted attempted) {
    return attempted.response().getHeaders()::getFirst;
  }

  /** Closes the response, which releases (or closes) its connection. */
  @Override
  public void discard(Attempted attempted) {
    try {
      attempted.response().close();
    } catch (RuntimeException ignored) {
      // Closing can only fail on a broken connection, which the client then drops.
    }
  }

  /** Reads at most {@code maxChars} characters of a body that will not be returned. */
  @Override
  public String bodyExcerpt(Attempted attempted, int maxChars) {
    if (maxChars <= 0) return null;
    try (InputStream body = attempted.response().getBody()) {
      byte[] bytes = body.readNBytes(maxChars * MAX_BYTES_PER_CHAR);
      String text = new String(bytes, StandardCharsets.UTF_8);
      return text.length() > maxChars ? text.substring(0, maxChars) : text;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
