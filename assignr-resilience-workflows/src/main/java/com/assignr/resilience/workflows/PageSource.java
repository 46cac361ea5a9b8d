package com.assignr.resilience.workflows;

import java.io.IOException;
import java.util.Objects;

/**
 * Fetches and reads one page: a {@code GET} through the caller's client (built with an adapter and
 * {@code throwOnFailure(true)}, so that a 429 that could not be waited out arrives as {@link
 * com.assignr.resilience.RateLimitedException}) and the caller's JSON library.
 *
 * <pre>{@code
 * PageSource<JsonNode> games = PageSource.of(
 *     url -> client.send(get(url), BodyHandlers.ofString()).body(),      // any adapter
 *     body -> {                                                          // any JSON library
 *       JsonNode root = mapper.readTree(body);
 *       List<JsonNode> games = new ArrayList<>();
 *       root.at("/_embedded/games").forEach(games::add);
 *       return Page.of(games, root.at("/_links/next/href").asText(null));
 *     });
 * }</pre>
 *
 * @param <R> a record, in the caller's JSON library or own type
 */
@FunctionalInterface
public interface PageSource<R> {
  /**
   * @param url the page's URL, with {@code limit}
   * @return the page
   * @throws IOException as the client or the JSON library throws
   */
  Page<R> fetch(String url) throws IOException;

  /**
   * A source from a fetch and a parser.
   *
   * @param fetch sends the {@code GET} and returns the body
   * @param parser reads the body
   * @param <R> a record
   * @return the source
   */
  static <R> PageSource<R> of(Fetch fetch, Parser<R> parser) {
    Objects.requireNonNull(fetch, "fetch");
    Objects.requireNonNull(parser, "parser");
    return url -> parser.parse(fetch.get(url));
  }

  /** Sends the {@code GET} through the caller's client. */
  @FunctionalInterface
  interface Fetch {
    /**
     * @param url the page's URL
     * @return the response body
     * @throws IOException as the client throws
     */
    String get(String url) throws IOException;
  }

  /**
   * Reads a page's body with the caller's JSON library.
   *
   * @param <R> a record
   */
  @FunctionalInterface
  interface Parser<R> {
    /**
     * @param body a HAL+JSON collection page
     * @return its records and next link
     * @throws IOException if the body is not a page
     */
    Page<R> parse(String body) throws IOException;
  }
}
