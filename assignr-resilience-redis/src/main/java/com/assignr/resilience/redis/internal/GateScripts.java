package com.assignr.resilience.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The gate's Lua scripts: two are the shared prelude ({@code gate-common.lua}) followed by a
 * body, {@code admit.lua} (may one attempt go now, and may this instance hold a few places?) and
 * {@code learn.lua} (an answer, a finished attempt, or an instance rejoining); {@code settle.lua}
 * ends an instance's held places. The scripts document their keys and arguments. Their rules
 * are specified by the testkit's {@code GateContract}, which {@code RedisGateContractTest} runs on
 * them against a real redis-server.
 */
public final class GateScripts {
  /** Reply codes, the first element of every script's answer. */
  public static final long ADMITTED = 0, WAIT = 1, LEARNED = 2, EXPIRED = -1;

  /** Positions in a script's reply. */
  public static final int CODE = 0, WAIT_MICROS = 1, NOW_MICROS = 2, REMAINING = 3,
      UNTIL_RESET_MICROS = 4, CLOSED_FOR_MICROS = 5, IN_FLIGHT = 6, LIMIT = 7, PERIOD = 8, WHY = 9,
      CLOSED_AT_MICROS = 10, GRANTED = 11, REPLY_LENGTH = 12;

  /** The {@code now} argument that tells the scripts to read Redis's own clock ({@code TIME}). */
  public static final String REDIS_TIME = "-1";

  /** Why the gate closed, as the scripts record it. */
  public static String reason(long why) {
    switch ((int) why) {
      case 1: return "429 Too Many Requests";
      case 2: return "remaining reached the reserve";
      case 3: return "429 Too Many Requests (no reset given)";
      case 4: return "remaining reached the reserve (no reset given)";
      case 5: return "an instance rejoined with the gate closed";
      default: return "closed by another instance";
    }
  }

  public static final Script ADMIT = new Script("admit", load("gate-common.lua") + load("admit.lua"));
  public static final Script LEARN = new Script("learn", load("gate-common.lua") + load("learn.lua"));
  /** The end of an instance's held places: hands back the unused, extends those still running. */
  public static final Script SETTLE = new Script("settle", load("settle.lua"));

  private GateScripts() {}

  /** A script's text and its SHA-1, as {@code EVALSHA} names it. */
  public static final class Script {
    private final String name;
    private final String text;
    private final String sha;

    Script(String name, String text) {
      this.name = name;
      this.text = text;
      this.sha = sha1(text);
    }

    public String name() { return name; }
    public String text() { return text; }
    public String sha() { return sha; }

    @Override
    public String toString() {
      return name + '@' + sha.substring(0, 8);
    }
  }

  private static String load(String resource) {
    try (InputStream in = GateScripts.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing script resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(40);
      for (byte b : digest) hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
