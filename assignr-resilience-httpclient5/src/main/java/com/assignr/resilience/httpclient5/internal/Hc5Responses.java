package com.assignr.resilience.httpclient5.internal;

import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.ResponseAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/** How core's executor sees an HttpClient 5 {@link ClassicHttpResponse}. Not for users. */
final class Hc5Responses implements ResponseAdapter<ClassicHttpResponse> {
  static final Hc5Responses ADAPTER = new Hc5Responses();

  /** UTF-8 takes at most 4 bytes a character. */
  private static final int MAX_BYTES_PER_CHAR = 4;

  private Hc5Responses() {}

  @Override
  public int status(ClassicHttpResponse response) {
    return response.getCode();
  }

  /** HttpClient's {@code getFirstHeader} matches names case-insensitively, as core wants. */
  @Override
  public HeaderLookup headers(ClassicHttpResponse response) {
    return name -> {
      Header header = response.getFirstHeader(name);
      return header == null ? null : header.getValue();
    };
  }

  /**
   * Closes the response. Below the chain's protocol element its entity releases the connection
   * when closed: the rest of the body is read and dropped (not buffered) and the connection goes
   * back to the pool, or, if that fails, is discarded. This is what HttpClient's own retries do.
   */
  @Override
  public void discard(ClassicHttpResponse response) {
    closeQuietly(response);
  }

  /** Reads at most {@code maxChars} characters of the body (UTF-8); the response is discarded next. */
  @Override
  public String bodyExcerpt(ClassicHttpResponse response, int maxChars) {
    HttpEntity entity = response.getEntity();
    if (maxChars <= 0 || entity == null) return null;
    try {
      InputStream in = entity.getContent();
      if (in == null) return null;
      byte[] bytes = in.readNBytes(maxChars * MAX_BYTES_PER_CHAR);
      String text = new String(bytes, StandardCharsets.UTF_8);
      return text.length() > maxChars ? text.substring(0, maxChars) : text;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Closes {@code response} without throwing. */
  static void closeQuietly(ClassicHttpResponse response) {
    if (response == null) return;
    try {
      response.close();
    } catch (IOException | RuntimeException ignored) {
      // The connection could not be released cleanly, so HttpClient has discarded it.
    }
  }
}
