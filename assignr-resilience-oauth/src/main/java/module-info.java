/**
 * OAuth 2.0 access tokens for the Assignr API: {@link com.assignr.resilience.oauth.AssignrOAuth}
 * builds the {@link com.assignr.resilience.oauth.Credentials} that the library adds to requests
 * (the client-credentials grant, or a token source of yours), cached and refreshed. The token
 * request goes over {@code java.net.http} unless another {@link
 * com.assignr.resilience.oauth.TokenTransport} is given (the OkHttp module provides one).
 */
module com.assignr.resilience.oauth {
  // Credentials is core's spi.Authorizer; the builder takes core's TimeSource and RetryListener.
  requires transitive com.assignr.resilience;
  // TokenTransport.jdk(HttpClient) is API.
  requires transitive java.net.http;

  exports com.assignr.resilience.oauth;
}
