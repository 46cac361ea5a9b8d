package com.assignr.resilience.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of a test's Redis whose way back can be held: commands reach Redis
 * at once (it runs them, in time), while its replies wait here until {@link #releaseReplies()}. The
 * busy client host of issue 21, made exact: a reply that Redis sent in time reaches the store after
 * the store's timeout. Or every reply can be handed on a fixed delay after it came ({@link
 * #delayReplies}): a slow way back, as on a busy host. Random port; one thread pair per connection.
 */
final class ReplyHoldingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private boolean held;
  private volatile long delayNanos;
  private final java.util.concurrent.ScheduledExecutorService later =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "proxy-delay");
        t.setDaemon(true);
        return t;
      });
  private volatile boolean closed;

  private ReplyHoldingProxy(int target) {
    this.target = target;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accept = new Thread(this::accept, "proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  static ReplyHoldingProxy to(int redisPort) {
    return new ReplyHoldingProxy(redisPort);
  }

  int port() {
    return server.getLocalPort();
  }

  String uri() {
    return "redis://127.0.0.1:" + port();
  }

  /** From now on Redis's replies wait here (its commands still go through). */
  void holdReplies() {
    synchronized (gate) {
      held = true;
    }
  }

  /** Lets every held reply, and the later ones, through. */
  void releaseReplies() {
    synchronized (gate) {
      held = false;
      gate.notifyAll();
    }
  }

  /**
   * From now on each reply is handed on {@code delay} after it came from Redis (in order): the
   * network's or the host's latency, not a test's wait.
   */
  void delayReplies(java.time.Duration delay) {
    delayNanos = delay.toNanos();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket redis = new Socket(InetAddress.getLoopbackAddress(), target);
        client.setTcpNoDelay(true);
        redis.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(redis);
        pump(client.getInputStream(), redis.getOutputStream(), false);
        pump(redis.getInputStream(), client.getOutputStream(), true);
      } catch (IOException e) {
        if (!closed) System.err.println("proxy: " + e);
      }
    }
  }

  private void pump(InputStream in, OutputStream out, boolean replies) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (replies) awaitReleased();
          long delay = replies ? delayNanos : 0;
          if (delay > 0) {
            byte[] chunk = java.util.Arrays.copyOf(buffer, n);
            later.schedule(() -> {
              try {
                out.write(chunk);
                out.flush();
              } catch (IOException e) {
                // the other side closed
              }
            }, delay, java.util.concurrent.TimeUnit.NANOSECONDS);
            continue;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the other side closed
      } finally {
        try {
          out.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }, replies ? "proxy-replies" : "proxy-commands");
    t.setDaemon(true);
    t.start();
  }

  private void awaitReleased() throws InterruptedException {
    synchronized (gate) {
      while (held && !closed) gate.wait();
    }
  }

  @Override
  public void close() {
    closed = true;
    later.shutdownNow();
    releaseReplies();
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
