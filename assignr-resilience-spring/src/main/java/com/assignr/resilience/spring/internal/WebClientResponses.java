package com.assignr.resilience.spring.internal;

import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.ResponseAdapter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;

/** How core's executor sees one attempt's {@link ClientResponse}. Not for users. */
final class WebClientResponses implements ResponseAdapter<WebClientResponses.Attempted> {
  static final WebClientResponses ADAPTER = new WebClientResponses();

  private WebClientResponses() {}

  /**
   * One attempt's response, its status and headers read once.
   *
   * @param excerpt null while the body is unread (the response is to be returned); else the first
   *     bytes of a body that was read to its end and released
   */
  record Attempted(ClientResponse response, int status, HeaderLookup headers, byte[] excerpt) {
    static Attempted delivered(ClientResponse response, int status, HeaderLookup headers) {
      return new Attempted(response, status, headers, null);
    }

    @Override
    public String toString() {
      return "Attempted[" + status + (excerpt == null ? ", body unread]" : ", drained, kept " + excerpt.length + " bytes]");
    }
  }

  /** Spring's headers are case-insensitive; {@code getFirst} is what core asks for. */
  static HeaderLookup lookup(ClientResponse response) {
    return response.headers().asHttpHeaders()::getFirst;
  }

  @Override
  public int status(Attempted attempted) {
    return attempted.status();
  }

  @Override
  public HeaderLookup headers(Attempted attempted) {
    return attempted.headers();
  }

  /** A drained body needs nothing; an unread one is read and dropped, releasing its buffers. */
  @Override
  public void discard(Attempted attempted) {
    if (attempted.excerpt() == null) release(attempted.response());
  }

  @Override
  public String bodyExcerpt(Attempted attempted, int maxChars) {
    if (attempted.excerpt() == null || maxChars <= 0) return null;
    String text = new String(attempted.excerpt(), charset(attempted.response()));
    return text.length() <= maxChars ? text : text.substring(0, maxChars);
  }

  /** The charset the response's {@code Content-Type} names, else UTF-8 (Assignr's JSON). */
  static Charset charset(ClientResponse response) {
    try {
      Charset charset = response.headers().contentType().map(MediaType::getCharset).orElse(null);
      return charset != null ? charset : StandardCharsets.UTF_8;
    } catch (RuntimeException e) { // a malformed Content-Type
      return StandardCharsets.UTF_8;
    }
  }

  /** Reads and drops {@code response}'s body ({@code releaseBody()}); never throws. */
  static void release(ClientResponse response) {
    try {
      response.releaseBody().subscribe(null, failure -> { });
    } catch (RuntimeException e) {
      // The response is being thrown away; a connector that cannot release it drops the connection.
    }
  }
}
