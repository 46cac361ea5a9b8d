package com.assignr.resilience.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one HTTPS rule: which requests may leave in plain HTTP. Every check calls this (the
 * executor's {@code Settlement}, the OAuth grant, the Spring Boot starter's properties), so they
 * cannot disagree. Not for users.
 *
 * <h2>What counts as loopback, and why so little</h2>
 *
 * Plain HTTP is allowed, when {@code allowInsecureLoopback} is on, only to a host that certainly
 * stays on this machine <em>without asking anyone</em>: no DNS look-up (a name is whatever the
 * resolver says), no prefix match ({@code 127.attacker.example} is a DNS name like any other).
 * Exactly three spellings qualify:
 *
 * <ul>
 *   <li>{@code localhost}, in any case, and nothing else: not {@code localhost.} (an absolute name
 *       a resolver may send to DNS), not {@code foo.localhost};
 *   <li>an IPv4 address in {@code 127.0.0.0/8} written as four decimal numbers of 0 to 255,
 *       without leading zeros: not {@code 127.1}, {@code 0x7f.0.0.1} or {@code 0177.0.0.1}, which
 *       some parsers read as other addresses (inet_aton's octal, say) and others refuse;
 *   <li>the IPv6 loopback {@code ::1} in any of its spellings ({@code 0:0:0:0:0:0:0:1}, {@code
 *       0000::0001}), bracketed or not, without a zone ({@code %eth0}).
 * </ul>
 *
 * <p>The IPv4-mapped {@code ::ffff:127.0.0.1} is refused although it may reach 127.0.0.1: whether it
 * does depends on the socket's dual-stack setting, no simulator is addressed that way, and a
 * refusal costs only a test written with an odd spelling. {@code 0.0.0.0} and {@code ::} (which some
 * systems route to this machine) are refused for the same reason.
 *
 * <p>IPv6 text is parsed by {@link InetAddress#getByName} inside brackets and only when it holds
 * nothing but hex digits, {@code ':'} and {@code '.'}: a bracketed host is an IPv6 literal or an
 * error to the JDK, never a name to resolve.
 */
public final class Hosts {
  private Hosts() {}

  /**
   * Whether a request to {@code host} with {@code scheme} may be sent: {@code https} always,
   * {@code http} only to a {@linkplain #isLoopback loopback host} and only when allowed.
   *
   * @param scheme the URL's scheme, in any case; null is refused
   * @param host the URL's host, IPv6 literals bracketed or not; null is refused
   * @param allowInsecureLoopback whether plain HTTP to a loopback host is allowed (tests only)
   * @return whether the request may be sent
   */
  public static boolean isSecureEnough(String scheme, String host, boolean allowInsecureLoopback) {
    if (scheme == null) return false;
    if (scheme.equalsIgnoreCase("https")) return true;
    return allowInsecureLoopback && scheme.equalsIgnoreCase("http") && isLoopback(host);
  }

  /**
   * Whether {@code host} names this machine's loopback interface, decided from its text alone (no
   * DNS look-up): {@code localhost}, {@code 127.a.b.c} as four decimal numbers, or {@code ::1}.
   *
   * @param host a URL's host, IPv6 literals bracketed or not; null is refused
   * @return whether it is one of the loopback spellings above
   */
  public static boolean isLoopback(String host) {
    if (host == null || host.isEmpty()) return false;
    if (host.startsWith("[")) {
      return host.length() > 2 && host.endsWith("]") && isIpv6Loopback(host.substring(1, host.length() - 1));
    }
    if (host.equalsIgnoreCase("localhost")) return true;
    if (host.indexOf(':') >= 0) return isIpv6Loopback(host);
    return isIpv4Loopback(host);
  }

  /** Four decimal numbers 0-255 without leading zeros, the first 127. */
  private static boolean isIpv4Loopback(String host) {
    int part = 0;
    int value = 0;
    int digits = 0;
    boolean leadingZero = false;
    for (int i = 0; i <= host.length(); i++) {
      char c = i == host.length() ? '.' : host.charAt(i);
      if (c == '.') {
        if (digits == 0 || (leadingZero && digits > 1) || value > 255) return false;
        if (part == 0 && value != 127) return false;
        part++;
        value = 0;
        digits = 0;
        continue;
      }
      if (c < '0' || c > '9' || digits == 3) return false; // ASCII only: Character.isDigit takes ٧
      if (digits == 0) leadingZero = c == '0';
      value = value * 10 + (c - '0');
      digits++;
    }
    return part == 4;
  }

  private static boolean isIpv6Loopback(String literal) {
    if (literal.isEmpty() || literal.indexOf(':') < 0) return false;
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') return false; // no zone id, nothing a resolver could take
    }
    try {
      // Bracketed, the JDK parses it as an IPv6 literal or refuses it; it never looks it up.
      InetAddress address = InetAddress.getByName("[" + literal + "]");
      // ::ffff:127.0.0.1 comes back as an Inet4Address: refused (see the class comment).
      return address instanceof Inet6Address && address.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
