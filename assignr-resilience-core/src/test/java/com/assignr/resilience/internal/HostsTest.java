package com.assignr.resilience.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one HTTPS/loopback rule, as a table: which hosts are loopback without asking DNS. */
class HostsTest {

  @ParameterizedTest(name = "{0} -> {1} ({2})")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      // host                      | loopback | why
      "localhost                   | true     | the name, as RFC 6761 reserves it",
      "LOCALHOST                   | true     | in any case",
      "LocalHost                   | true     | in any case",
      "localhost.                  | false    | an absolute name a resolver may send to DNS",
      "foo.localhost               | false    | a subdomain: whatever the resolver says",
      "localhost.attacker.example  | false    | a DNS name",
      "127.0.0.1                   | true     | 127.0.0.0/8 as four decimal numbers",
      "127.255.255.254             | true     | anywhere in 127.0.0.0/8",
      "127.0.0.0                   | true     | the first address of the network is in it too",
      "127.1.2.3                   | true     | anywhere in 127.0.0.0/8",
      "127.attacker.example        | false    | the defect: a DNS name that starts with 127.",
      "127.0.0.1.evil              | false    | a DNS name that starts with an address",
      "127.0.0.1.                  | false    | an absolute name",
      "127.0.0.1.5                 | false    | five numbers",
      "127.0.0                     | false    | three numbers",
      "127.1                       | false    | the inet_aton short form: not four numbers",
      "127                         | false    | one number",
      "0x7f.0.0.1                  | false    | hex: some parsers take it, others do not",
      "0177.0.0.1                  | false    | a leading zero: octal 127 to inet_aton and 177 to others",
      "127.00.0.1                  | false    | a leading zero",
      "127.0.0.01                  | false    | a leading zero",
      "127.0.0.256                 | false    | a number over 255",
      "127.0.0.1000                | false    | four digits",
      "127..0.1                    | false    | an empty number",
      ".127.0.0.1                  | false    | an empty number",
      "127.0.0.-1                  | false    | a sign",
      "127.0.0.+1                  | false    | a sign",
      "127.٠.٠.١                   | false    | Arabic-Indic digits are not ASCII digits",
      "１２７.0.0.1                 | false    | fullwidth digits are not ASCII digits",
      "2130706433                  | false    | 127.0.0.1 as one number",
      "128.0.0.1                   | false    | outside 127.0.0.0/8",
      "10.0.0.1                    | false    | a private address is not this machine",
      "0.0.0.0                     | false    | this host on some systems only",
      "::1                         | true     | IPv6 loopback",
      "[::1]                       | true     | bracketed, as java.net.URI gives it",
      "0:0:0:0:0:0:0:1             | true     | its long form",
      "[0:0:0:0:0:0:0:1]           | true     | its long form, bracketed",
      "0000:0000:0000:0000:0000:0000:0000:0001 | true | with every zero",
      "0::1                        | true     | compressed elsewhere",
      "::0:1                       | true     | compressed elsewhere",
      "::01                        | true     | a leading zero is fine in IPv6",
      "[::1                        | false    | an unclosed bracket",
      "::1]                        | false    | an unopened bracket",
      "[[::1]]                     | false    | brackets twice",
      "[]                          | false    | nothing inside",
      "[127.0.0.1]                 | false    | IPv4 inside brackets is not a URI host",
      "[localhost]                 | false    | a name inside brackets is not a URI host",
      "::1%lo                      | false    | a zone: names an interface",
      "[::1%25lo]                  | false    | a zone, as URIs encode it",
      "::2                         | false    | not loopback",
      "::                          | false    | the unspecified address",
      "1::1                        | false    | not loopback",
      ":::1                        | false    | not an address",
      "::1::                       | false    | not an address",
      "::ffff:127.0.0.1            | false    | IPv4-mapped: reaches 127.0.0.1 only on dual-stack sockets; refused",
      "[::ffff:127.0.0.1]          | false    | IPv4-mapped, bracketed; refused",
      "::ffff:7f00:1               | false    | IPv4-mapped in hex; refused",
      "::127.0.0.1                 | false    | IPv4-compatible (deprecated): ::7f00:1, not loopback",
      "0:0:0:0:0:0:0:1:0           | false    | nine groups",
      "g::1                        | false    | not hex",
      "''                          | false    | empty",
      "NULL                        | false    | none",
  })
  void loopbackIsDecidedFromTheTextAlone(String host, boolean loopback, String why) {
    assertEquals(loopback, Hosts.isLoopback(host), host + ": " + why);
  }

  @ParameterizedTest(name = "{0}://{1}, allowInsecureLoopback={2} -> {3}")
  @CsvSource(nullValues = "NULL", value = {
      "https, api.assignr.com,       false, true",
      "HTTPS, api.assignr.com,       false, true",
      "https, 127.attacker.example,  false, true",
      "http,  api.assignr.com,       true,  false",
      "http,  127.attacker.example,  true,  false",
      "http,  127.0.0.1.evil,        true,  false",
      "http,  127.0.0.1,             false, false",
      "http,  127.0.0.1,             true,  true",
      "HTTP,  localhost,             true,  true",
      "http,  [::1],                 true,  true",
      "ws,    localhost,             true,  false",
      "ftp,   127.0.0.1,             true,  false",
      "'',    localhost,             true,  false",
      "NULL,  localhost,             true,  false",
  })
  void httpsAlwaysAndPlainHttpOnlyToAnAllowedLoopbackHost(String scheme, String host, boolean allow,
      boolean sendable) {
    assertEquals(sendable, Hosts.isSecureEnough(scheme, host, allow));
  }
}
