package com.assignr.resilience.testkit;

import com.assignr.resilience.spi.GateStore;
import com.assignr.resilience.spi.RateLimitGate;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link GateStore} for tests that keeps every gate it creates, so that a test can act on a
 * quota the way another caller would: close it with a 429 that some other client received, or
 * read its state. An {@code AssignrResilience} hands its gates to nobody (users see snapshots
 * only); a test that needs one installs this store.
 *
 * <pre>{@code
 * RecordingGateStore gates = RecordingGateStore.local();
 * AssignrResilience resilience = AssignrResilience.builder().gateStore(gates).build();
 * // ... a first call through a client built with `resilience`, then another caller's 429
 * // closes the quota for 30 s:
 * RateLimitInfo refused = RateLimitInfo.from(
 *     name -> name.equals(RateLimitInfo.RESET_SECONDS_REMAINING) ? "30" : null);
 * gates.only().learn(429, refused, resilience.timeSource().nanoTime());
 * }</pre>
 */
public final class RecordingGateStore implements GateStore {
  private final GateStore delegate;
  private final List<RateLimitGate> created = new CopyOnWriteArrayList<>();

  private RecordingGateStore(GateStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Records the gates of the in-process store.
   *
   * @return a new store
   */
  public static RecordingGateStore local() {
    return new RecordingGateStore(GateStore.local());
  }

  /**
   * Records the gates {@code delegate} creates.
   *
   * @param delegate the store that creates them
   * @return a new store
   */
  public static RecordingGateStore of(GateStore delegate) {
    return new RecordingGateStore(delegate);
  }

  @Override
  public RateLimitGate gate(Context context) {
    RateLimitGate gate = delegate.gate(context);
    created.add(gate);
    return gate;
  }

  /**
   * The gates created so far, in order.
   *
   * @return an unmodifiable snapshot
   */
  public List<RateLimitGate> gates() {
    return List.copyOf(created);
  }

  /**
   * The gate of {@code quotaKey}.
   *
   * @param quotaKey the quota
   * @return the gate
   * @throws NoSuchElementException when no gate of that quota was created
   */
  public RateLimitGate gate(String quotaKey) {
    return created.stream().filter(g -> g.quotaKey().equals(quotaKey)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no gate for quota " + quotaKey + " in " + this));
  }

  /**
   * The one gate created so far: for tests of one quota.
   *
   * @return the gate
   * @throws IllegalStateException unless exactly one was created
   */
  public RateLimitGate only() {
    List<RateLimitGate> now = gates();
    if (now.size() != 1) throw new IllegalStateException("expected one gate, found " + now);
    return now.get(0);
  }

  @Override
  public String toString() {
    return "RecordingGateStore" + created.stream().map(RateLimitGate::quotaKey).toList();
  }
}
