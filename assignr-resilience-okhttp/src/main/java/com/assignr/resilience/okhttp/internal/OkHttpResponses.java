package com.assignr.resilience.okhttp.internal;

import com.assignr.resilience.spi.HeaderLookup;
import com.assignr.resilience.spi.ResponseAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Headers;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** How core's executor sees an OkHttp {@link Response}. Not for users. */
public final class OkHttpResponses implements ResponseAdapter<Response> {
  public static final OkHttpResponses ADAPTER = new OkHttpResponses();

  /** UTF-8 takes at most 4 bytes a character. */
  private static final int MAX_BYTES_PER_CHAR = 4;

  private OkHttpResponses() {}

  @Override
  public int status(Response response) {
    return response.code();
  }

  /** OkHttp's {@code header(name)} returns the <em>last</em> value; core wants the first. */
  @Override
  public HeaderLookup headers(Response response) {
    Headers headers = response.headers();
    return name -> {
      for (int i = 0, size = headers.size(); i < size; i++) {
        if (headers.name(i).equalsIgnoreCase(name)) return headers.value(i);
      }
      return null;
    };
  }

  /** Closes the body, which returns the connection to the pool (or closes it). */
  @Override
  public void discard(Response response) {
    closeQuietly(response);
  }

  /** Peeks (does not consume) at most {@code maxChars} characters of the body. */
  @Override
  public String bodyExcerpt(Response response, int maxChars) {
    if (maxChars <= 0 || response.body() == null) return null;
    try {
      ResponseBody peeked = response.peekBody((long) maxChars * MAX_BYTES_PER_CHAR);
      String text = new String(peeked.bytes(), StandardCharsets.UTF_8);
      return text.length() > maxChars ? text.substring(0, maxChars) : text;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Closes a response's body, if it has one, without throwing. */
  public static void closeQuietly(Response response) {
    if (response == null) return;
    ResponseBody body = response.body();
    if (body == null) return;
    try {
      body.close();
    } catch (RuntimeException ignored) {
      // Closing can only fail on a broken connection, which OkHttp then evicts.
    }
  }
}
