package com.assignr.resilience.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The simulator's TLS identity: a self-signed certificate for {@code localhost}, {@code 127.0.0.1}
 * and {@code ::1}, valid until 2129, shipped as a JKS resource. (WireMock's bundled certificate
 * has no subject alternative names, so {@code java.net.http} would reject it on hostname
 * verification; this one passes with default settings.) Its private key protects nothing: it is
 * for tests only.
 */
public final class SimulatorTls {

  public static final String KEYSTORE_PASSWORD = "password";
  public static final String KEYSTORE_TYPE = "JKS";
  private static final String RESOURCE = "simulator-localhost.jks";
  private static final String ALIAS = "assignr-simulator";

  private SimulatorTls() {}

  /** The keystore's URL, as WireMock's {@code keystorePath} accepts it. */
  public static String keystoreUrl() {
    URL url = SimulatorTls.class.getResource(RESOURCE);
    if (url == null) {
      throw new IllegalStateException("missing resource " + RESOURCE);
    }
    return url.toString();
  }

  /** The certificate the simulator serves. */
  public static X509Certificate certificate() {
    try (InputStream in = SimulatorTls.class.getResourceAsStream(RESOURCE)) {
      KeyStore keyStore = KeyStore.getInstance(KEYSTORE_TYPE);
      keyStore.load(in, KEYSTORE_PASSWORD.toCharArray());
      return (X509Certificate) keyStore.getCertificate(ALIAS);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the simulator certificate", e);
    }
  }

  /** A trust manager that trusts exactly the simulator's certificate. */
  public static X509TrustManager trustManager() {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry(ALIAS, certificate());
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X509TrustManager");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a trust manager", e);
    }
  }

  /** A fresh TLS context trusting exactly the simulator's certificate. */
  public static SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build an SSLContext", e);
    }
  }
}
