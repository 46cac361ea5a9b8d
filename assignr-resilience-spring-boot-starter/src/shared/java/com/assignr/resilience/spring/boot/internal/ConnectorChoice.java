package com.assignr.resilience.spring.boot.internal;

import java.util.function.Supplier;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.HttpComponentsClientHttpConnectorBuilder;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The connector under every Assignr {@code WebClient}: Boot's choice (Reactor Netty, Jetty or the
 * JDK's), unless Boot chose Apache HttpClient 5's, whose async client resends each 429 and 503 once
 * by itself below every filter (measured: a GET answered 503 throughout reached the server twice the
 * library's attempts); then the JDK's {@code HttpClient} with Boot's settings, as under the Assignr
 * {@code RestClient}s. Each line makes it from its own settings type. Not for users.
 */
public final class ConnectorChoice {
  private final boolean replace;
  private final Supplier<ClientHttpConnector> jdk;

  /**
   * @param boot the connector builder Boot uses (its bean, else its detection)
   * @param jdk the JDK connector with Boot's settings
   */
  public ConnectorChoice(ClientHttpConnectorBuilder<?> boot, Supplier<ClientHttpConnector> jdk) {
    this.replace = boot instanceof HttpComponentsClientHttpConnectorBuilder;
    this.jdk = jdk;
  }

  /** Puts {@code builder} on the JDK connector when Boot's is HttpClient 5's; else leaves it. */
  void apply(WebClient.Builder builder) {
    if (replace) builder.clientConnector(jdk.get());
  }
}
