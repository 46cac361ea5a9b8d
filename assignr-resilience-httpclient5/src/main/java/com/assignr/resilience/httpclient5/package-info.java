/**
 * The Apache HttpClient 5 adapter: {@link com.assignr.resilience.httpclient5.AssignrHttpClient5}
 * configures an {@code HttpClientBuilder} so that every call of the classic client it builds (and
 * of Spring's {@code HttpComponentsClientHttpRequestFactory} over that client) runs through the
 * library, inside HttpClient's exec chain, with HttpClient's own retries and redirects off.
 *
 * <p>Works with HttpClient 5.4 to 5.6 (the module is compiled against 5.4 and tested on 5.4 and
 * 5.6). Everything under {@code .internal} is implementation, not API.
 */
package com.assignr.resilience.httpclient5;
