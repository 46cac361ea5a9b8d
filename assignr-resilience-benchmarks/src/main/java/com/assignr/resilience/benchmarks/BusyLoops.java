package com.assignr.resilience.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fleet race's loaded host: N threads that spin on the CPU until told to stop, in a JVM of
 * their own so the race's coordinator is not starved more than its workers. Started by
 * {@link FleetRace}'s {@code loaded} variant (see {@link Load}); prints {@code READY} once every
 * thread spins and exits as soon as its stdin closes, so it cannot outlive the coordinator even if
 * that is killed without a chance to destroy it.
 *
 * <p>Args: the number of threads.
 */
public final class BusyLoops {
  /** Written now and then so the loops' arithmetic is not compiled away. */
  static volatile long sink;

  private BusyLoops() {}

  public static void main(String[] args) throws IOException {
    int threads = Integer.parseInt(args[0]);
    List<Thread> loops = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(BusyLoops::spin, "busy-loop-" + i);
      t.setDaemon(true); // the main thread decides when the process ends
      loops.add(t);
      t.start();
    }
    System.out.println("READY");
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // nothing to read: EOF (the coordinator closed the pipe or ended) is the signal to stop
    }
    System.exit(0);
  }

  /** Pure CPU: a xorshift generator, no allocation, no memory traffic, no pause hint. */
  private static void spin() {
    long x = System.nanoTime() | 1;
    for (long i = 1; ; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      if ((i & 0xFFFFFF) == 0) sink = x;
    }
  }

  /**
   * A running {@link BusyLoops} process, owned by the coordinator: started with this JVM's java
   * binary and class path, destroyed by {@link #close()} (and, should the coordinator die first,
   * by the child itself when its stdin closes).
   */
  static final class Load implements AutoCloseable {
    private final Process process;

    private Load(Process process) {
      this.process = process;
    }

    /** Starts {@code threads} busy loops and returns once they spin. */
    static Load start(String javaBinary, String classPath, int threads) throws IOException {
      List<String> command = List.of(javaBinary, "-cp", classPath, "-XX:+UseSerialGC", "-Xmx32m",
          BusyLoops.class.getName(), Integer.toString(threads));
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Load load = new Load(p);
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
          line = out.readLine();
          if (line == null) throw new IOException("the busy loops did not start (exit " + exitOf(p) + ")");
        } while (!line.equals("READY"));
      } catch (IOException | RuntimeException e) {
        load.close();
        throw e;
      }
      return load;
    }

    private static String exitOf(Process p) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
        return p.isAlive() ? "none yet" : Integer.toString(p.exitValue());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "unknown";
      }
    }

    long pid() {
      return process.pid();
    }

    boolean isAlive() {
      return process.isAlive();
    }

    /** Closes the child's stdin (its signal to exit), then kills it; returns once it is gone. */
    @Override
    public void close() {
      try {
        process.getOutputStream().close();
      } catch (IOException ignored) {
        // the pipe is already gone: destroy below still applies
      }
      process.destroyForcibly();
      boolean interrupted = false;
      while (true) {
        try {
          process.waitFor();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // keep waiting: a spinning child left behind would skew every later run
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
