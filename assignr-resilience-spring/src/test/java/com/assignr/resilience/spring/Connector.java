package com.assignr.resilience.spring;

import java.net.http.HttpClient;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.netty.resources.ConnectionProvider;

/** The two connectors {@code WebClient} is mostly used with; every filter scenario runs on both. */
enum Connector {
  /** Reactor Netty, WebClient's default, with a pool of its own per client. */
  REACTOR_NETTY {
    @Override
    ClientHttpConnector create() {
      return new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.create(
          ConnectionProvider.builder("assignr-test").maxConnections(64).pendingAcquireMaxCount(-1).build()));
    }
  },
  /** The JDK's {@code HttpClient} (HTTP/1.1: the simulator's plain port speaks nothing else). */
  JDK {
    @Override
    ClientHttpConnector create() {
      return new JdkClientHttpConnector(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }
  };

  abstract ClientHttpConnector create();
}
