package com.assignr.resilience.spring.boot;

import com.assignr.resilience.spring.boot.internal.PropertiesMapping;
import com.assignr.resilience.oauth.AssignrOAuth;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code assignr.resilience.*} properties. Every default here is core's own (a test checks
 * that they agree); every value is checked by core's builders when the context starts, and a bad
 * one fails startup naming the property, its value and the rule.
 *
 * <pre>
 * assignr.resilience.credentials.client-id=${ASSIGNR_CLIENT_ID}
 * assignr.resilience.credentials.client-secret=${ASSIGNR_CLIENT_SECRET}
 * assignr.resilience.retry.max-attempts=4
 * assignr.resilience.gate.reserve=5
 * </pre>
 */
@ConfigurationProperties("assignr.resilience")
public class AssignrResilienceProperties implements Validator {
  /** Whether to configure assignr-resilience at all. */
  private boolean enabled = true;
  /** The Assignr API's base URL, for the {@code @AssignrRestClient} and {@code @AssignrWebClient} builders. */
  private String baseUrl = "https://api.assignr.com/api/v2";
  /**
   * Throw the library's typed exceptions ({@code ConflictException}…, as the cause of Spring's
   * {@code ResourceAccessException}) instead of returning the final response to Spring's status
   * handling.
   */
  private boolean throwOnFailure = false;
  /** Allow plain HTTP to loopback hosts, for a local simulator: the API and the OAuth token endpoint. */
  private boolean allowInsecureLoopback = false;
  /**
   * Names the quota every call draws on, instead of the API host plus a hash of the credentials.
   * Set it when tokens rotate or an interceptor adds {@code Authorization} after ours.
   */
  private String quotaKey;
  /** The Content-Type added to POST requests that set none. */
  private String writeContentType = "application/vnd.assignr.v2.hal+json";
  /** The most characters of an error body kept in an exception. */
  private int bodyExcerptChars = 4096;

  /**
   * The HTTP service groups whose clients call Assignr (Spring Boot 4's {@code
   * @ImportHttpServices(group = ...)}): each gets the interceptor and a client that neither retries
   * nor follows redirects on its own ({@code RestClient} groups) or the filter ({@code WebClient}
   * groups), the base URL (unless {@code spring.http.serviceclient.<group>.base-url} is set) and the
   * static token. Boot 3.5 has no service groups: there, build the proxy from an {@code
   * @AssignrRestClient} or {@code @AssignrWebClient} builder (see the README).
   */
  private List<String> serviceGroups = new ArrayList<>();

  private final Retry retry = new Retry();
  private final Gate gate = new Gate();
  private final Credentials credentials = new Credentials();
  private final RestClient restClient = new RestClient();
  private final WebClient webClient = new WebClient();
  private final Metrics metrics = new Metrics();
  private final Redis redis = new Redis();

  public boolean isEnabled() { return enabled; }
  public void setEnabled(boolean enabled) { this.enabled = enabled; }
  public String getBaseUrl() { return baseUrl; }
  public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
  public boolean isThrowOnFailure() { return throwOnFailure; }
  public void setThrowOnFailure(boolean throwOnFailure) { this.throwOnFailure = throwOnFailure; }
  public boolean isAllowInsecureLoopback() { return allowInsecureLoopback; }
  public void setAllowInsecureLoopback(boolean allow) { this.allowInsecureLoopback = allow; }
  public String getQuotaKey() { return quotaKey; }
  public void setQuotaKey(String quotaKey) { this.quotaKey = quotaKey; }
  public String getWriteContentType() { return writeContentType; }
  public void setWriteContentType(String writeContentType) { this.writeContentType = writeContentType; }
  public int getBodyExcerptChars() { return bodyExcerptChars; }
  public void setBodyExcerptChars(int bodyExcerptChars) { this.bodyExcerptChars = bodyExcerptChars; }
  public List<String> getServiceGroups() { return serviceGroups; }
  public void setServiceGroups(List<String> serviceGroups) { this.serviceGroups = serviceGroups; }
  public Retry getRetry() { return retry; }
  public Gate getGate() { return gate; }
  public Credentials getCredentials() { return credentials; }
  public RestClient getRestClient() { return restClient; }
  public WebClient getWebClient() { return webClient; }
  public Metrics getMetrics() { return metrics; }
  public Redis getRedis() { return redis; }

  /** The retry policy ({@code RetryPolicy}). */
  public static class Retry {
    /** Attempts in all, the first included. */
    private int maxAttempts = 5;
    /** The first backoff delay (503, 5xx, I/O). */
    private Duration initialBackoff = Duration.ofMillis(500);
    /** The cap on any single backoff delay. */
    private Duration maxBackoff = Duration.ofSeconds(30);
    /** Growth of the backoff per attempt. */
    private double backoffMultiplier = 2.0;
    /** The fraction of each backoff randomised downwards, 0 to 1. */
    private double backoffJitter = 0.5;
    /** Added to every server-directed wait (Assignr rounds seconds down). */
    private Duration rateLimitMargin = Duration.ofSeconds(1);
    /** The width of the positive-only jitter after a server-directed wait. */
    private Duration rateLimitJitter = Duration.ofSeconds(1);
    /** The longest server-directed wait sat through; longer ones give up at once with retryAt(). */
    private Duration maxServerWait = Duration.ofSeconds(65);
    /** A deadline for the whole call, retries and waits included. */
    private Duration totalTimeout = Duration.ofMinutes(3);
    /** Retry POST and PATCH after a 500 or an I/O failure too (only for endpoints safe to repeat). */
    private boolean retryNonIdempotent = false;

    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public Duration getInitialBackoff() { return initialBackoff; }
    public void setInitialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; }
    public Duration getMaxBackoff() { return maxBackoff; }
    public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
    public double getBackoffMultiplier() { return backoffMultiplier; }
    public void setBackoffMultiplier(double backoffMultiplier) { this.backoffMultiplier = backoffMultiplier; }
    public double getBackoffJitter() { return backoffJitter; }
    public void setBackoffJitter(double backoffJitter) { this.backoffJitter = backoffJitter; }
    public Duration getRateLimitMargin() { return rateLimitMargin; }
    public void setRateLimitMargin(Duration rateLimitMargin) { this.rateLimitMargin = rateLimitMargin; }
    public Duration getRateLimitJitter() { return rateLimitJitter; }
    public void setRateLimitJitter(Duration rateLimitJitter) { this.rateLimitJitter = rateLimitJitter; }
    public Duration getMaxServerWait() { return maxServerWait; }
    public void setMaxServerWait(Duration maxServerWait) { this.maxServerWait = maxServerWait; }
    public Duration getTotalTimeout() { return totalTimeout; }
    public void setTotalTimeout(Duration totalTimeout) { this.totalTimeout = totalTimeout; }
    public boolean isRetryNonIdempotent() { return retryNonIdempotent; }
    public void setRetryNonIdempotent(boolean retryNonIdempotent) { this.retryNonIdempotent = retryNonIdempotent; }
  }

  /** The shared rate-limit gate ({@code GatePolicy}). */
  public static class Gate {
    /** Whether calls pass through the gate at all. */
    private boolean enabled = true;
    /** Requests per window left unused for the account's other traffic (0 to 179). */
    private int reserve = 2;
    /** Attempts in flight while the gate knows no budget yet. */
    private int coldStartConcurrency = 10;
    /** The gap between callers released after the gate reopens. */
    private Duration releaseSpacing = Duration.ofMillis(20);
    /** Spread admissions evenly over what is left of the window. */
    private boolean pacing = false;
    /** How long the gate closes after "none left" without a usable reset time. */
    private Duration closureWithoutReset = Duration.ofMillis(500);
    /**
     * The share of each window kept for calls marked interactive (a person waiting), 0 to 0.5:
     * background calls stop at it, interactive ones may spend it.
     */
    private double interactiveShare = 0.25;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public int getReserve() { return reserve; }
    public void setReserve(int reserve) { this.reserve = reserve; }
    public int getColdStartConcurrency() { return coldStartConcurrency; }
    public void setColdStartConcurrency(int n) { this.coldStartConcurrency = n; }
    public Duration getReleaseSpacing() { return releaseSpacing; }
    public void setReleaseSpacing(Duration releaseSpacing) { this.releaseSpacing = releaseSpacing; }
    public boolean isPacing() { return pacing; }
    public void setPacing(boolean pacing) { this.pacing = pacing; }
    public Duration getClosureWithoutReset() { return closureWithoutReset; }
    public void setClosureWithoutReset(Duration closure) { this.closureWithoutReset = closure; }
    public double getInteractiveShare() { return interactiveShare; }
    public void setInteractiveShare(double interactiveShare) { this.interactiveShare = interactiveShare; }
  }

  /**
   * How calls are authorized: either a static access token ({@code token}), or an OAuth client
   * ({@code client-id} and {@code client-secret}) whose tokens the library fetches with the
   * client-credentials grant, caches, refreshes ahead of expiry and renews once after a 401. Not
   * both. Secrets appear in no {@code toString()}, message, log or health detail.
   */
  public static class Credentials {
    /**
     * A static access token, sent as {@code Authorization: Bearer <token>} by the {@code
     * @AssignrRestClient} and {@code @AssignrWebClient} builders. Not together with client-id and client-secret.
     */
    private String token;
    /**
     * The OAuth client id (client-credentials grant). With client-secret, the library fetches and
     * refreshes the access tokens itself, and the quota is named after the client ({@code
     * assignr-client#<hash of the id>}).
     */
    private String clientId;
    /** The OAuth client secret; required with client-id (unless the application defines a {@code TokenSource} bean). */
    private String clientSecret;
    /** The scopes asked for, space-separated. */
    private String scope = "read write";
    /**
     * The OAuth token endpoint; default Assignr's, {@code https://app.assignr.com/oauth/token}. HTTPS only; plain HTTP to a loopback host only with {@code
     * assignr.resilience.allow-insecure-loopback=true}.
     */
    private URI tokenUri = AssignrOAuth.ASSIGNR_TOKEN_URI;
    /**
     * The Spring Security client registration whose tokens authorize the calls, when {@code
     * spring-security-oauth2-client} is on the class path and the application has an {@code
     * OAuth2AuthorizedClientManager} bean ({@code client_credentials} grant; the secret is then
     * configured only under {@code spring.security.oauth2.client.registration.<id>.*}). Used when
     * that registration exists and neither client-id nor token is set; the quota is named after
     * the registration's client id ({@code assignr-client#<hash>}).
     */
    private String registrationId = DEFAULT_REGISTRATION_ID;

    /** The client registration used by default: {@code assignr}. */
    public static final String DEFAULT_REGISTRATION_ID = "assignr";

    public String getToken() { return token; }
    public void setToken(String token) { this.token = token; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getClientSecret() { return clientSecret; }
    public void setClientSecret(String clientSecret) { this.clientSecret = clientSecret; }
    public String getScope() { return scope; }
    public void setScope(String scope) { this.scope = scope; }
    public URI getTokenUri() { return tokenUri; }
    public void setTokenUri(URI tokenUri) { this.tokenUri = tokenUri; }
    public String getRegistrationId() { return registrationId; }
    public void setRegistrationId(String registrationId) { this.registrationId = registrationId; }

    @Override
    public String toString() {
      return "Credentials{token=" + (token == null ? "none" : "<hidden>")
          + ", clientId=" + (clientId == null ? "none" : "<hidden>")
          + ", clientSecret=" + (clientSecret == null ? "none" : "<hidden>")
          + ", scope=" + scope + ", tokenUri=" + tokenUri + ", registrationId=" + registrationId + '}';
    }
  }

  /** Which {@code RestClient.Builder}s get the interceptor. */
  public static class RestClient {
    /**
     * Add the interceptor to every {@code RestClient.Builder}, {@code RestTemplateBuilder} (and, on
     * Boot 4, HTTP service group) Boot makes, not only to those injected with {@code
     * @AssignrRestClient}, and put each on the JDK's {@code HttpClient} (Apache HttpClient 5, Boot's
     * first choice, would resend 429 and 503 below the interceptor). Only for applications that call
     * nothing but Assignr.
     */
    private boolean applyToAll = false;

    public boolean isApplyToAll() { return applyToAll; }
    public void setApplyToAll(boolean applyToAll) { this.applyToAll = applyToAll; }
  }

  /** Which {@code WebClient.Builder}s get the filter, when the application has WebFlux. */
  public static class WebClient {
    /**
     * Add the {@code AssignrExchangeFilterFunction} to every {@code WebClient.Builder} (and, on Boot
     * 4, HTTP service group backed by {@code WebClient}) Boot makes, not only to those injected with
     * {@code @AssignrWebClient}. Only for applications that call nothing but Assignr through {@code
     * WebClient}.
     */
    private boolean applyToAll = false;

    public boolean isApplyToAll() { return applyToAll; }
    public void setApplyToAll(boolean applyToAll) { this.applyToAll = applyToAll; }
  }

  /** Micrometer meters, when a {@code MeterRegistry} is present. */
  public static class Metrics {
    /** Whether to record meters. */
    private boolean enabled = true;
    /** The most quotas that get gauges. */
    private int maxQuotas = 16;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public int getMaxQuotas() { return maxQuotas; }
    public void setMaxQuotas(int maxQuotas) { this.maxQuotas = maxQuotas; }
  }

  /**
   * The fleet-wide gate store ({@code RedisGateStore}), configured when {@code
   * assignr-resilience-redis} is on the classpath and {@code uri} is set: every instance naming the
   * quota the same way ({@code quota-key}) then shares one gate. Unset values are the store's
   * defaults; the store's builder checks every value when the context starts. The URI's password
   * appears in no {@code toString()}, message or health detail.
   */
  public static class Redis {
    /** Where Redis is, e.g. {@code redis://redis.internal:6379} ({@code rediss://} for TLS); enables the store. */
    private String uri;
    /** The longest a call waits for Redis before answering from the local gate (store default 50 ms). */
    private Duration timeout;
    /** The longest a call waits for Redis however slow the measured round trips (store default 500 ms or the timeout if longer). */
    private Duration maxTimeout;
    /** While this instance cannot reach Redis, the share of the window it takes, 0.01 to 1 (store default 0.25). */
    private Double degradedShare;
    /** How long startup waits for the first connection; after it the gates start degraded (store default 1 s). */
    private Duration connectTimeout;
    /** The prefix of every Redis key (store default {@code assignr-resilience}; no braces). */
    private String keyPrefix;
    /** How long an admitted attempt counts as in flight at most (store default 30 s). */
    private Duration inFlightLease;
    /** While degraded, how often at most the store asks whether Redis is back (store default 500 ms). */
    private Duration probeInterval;
    /** The most places one admission may give this instance to admit from without a round trip; 1 turns held places off (store default 8). */
    private Integer heldPlaces;
    /** How long this instance admits from places it holds before the unused go back (store default 1 s). */
    private Duration holdFor;

    public String getUri() { return uri; }
    public void setUri(String uri) { this.uri = uri; }
    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration timeout) { this.timeout = timeout; }
    public Duration getMaxTimeout() { return maxTimeout; }
    public void setMaxTimeout(Duration maxTimeout) { this.maxTimeout = maxTimeout; }
    public Double getDegradedShare() { return degradedShare; }
    public void setDegradedShare(Double degradedShare) { this.degradedShare = degradedShare; }
    public Duration getConnectTimeout() { return connectTimeout; }
    public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
    public String getKeyPrefix() { return keyPrefix; }
    public void setKeyPrefix(String keyPrefix) { this.keyPrefix = keyPrefix; }
    public Duration getInFlightLease() { return inFlightLease; }
    public void setInFlightLease(Duration inFlightLease) { this.inFlightLease = inFlightLease; }
    public Duration getProbeInterval() { return probeInterval; }
    public void setProbeInterval(Duration probeInterval) { this.probeInterval = probeInterval; }
    public Integer getHeldPlaces() { return heldPlaces; }
    public void setHeldPlaces(Integer heldPlaces) { this.heldPlaces = heldPlaces; }
    public Duration getHoldFor() { return holdFor; }
    public void setHoldFor(Duration holdFor) { this.holdFor = holdFor; }

    @Override
    public String toString() {
      return "Redis{uri=" + PropertiesMapping.redactRedisUri(uri) + ", timeout=" + timeout + ", maxTimeout=" + maxTimeout
          + ", degradedShare=" + degradedShare + ", connectTimeout="
          + connectTimeout + ", keyPrefix=" + keyPrefix + ", inFlightLease=" + inFlightLease + ", probeInterval="
          + probeInterval + ", heldPlaces=" + heldPlaces + ", holdFor=" + holdFor + '}';
    }
  }

  @Override
  public boolean supports(Class<?> type) {
    return AssignrResilienceProperties.class.isAssignableFrom(type);
  }

  /** Builds core's policies from these values; each rule core refuses is reported on its property. */
  @Override
  public void validate(Object target, Errors errors) {
    PropertiesMapping.validate((AssignrResilienceProperties) target, errors);
  }
}
