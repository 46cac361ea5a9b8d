package com.assignr.resilience.testkit;

/**
 * One {@code PUT /games/{id}} the API model processed, for assertions about optimistic locking:
 * which {@code lock_version} the client sent against the one the game had, and the answer.
 *
 * <p>A client that handles 409 correctly never sends a {@code lock_version} it has already been
 * refused for: it reads the game again and sends the fresh one. Requests refused before the
 * model (429, 401, a fault before processing) are not here; a write whose answer was then lost
 * ({@link FaultScript.Trigger#processThenReset()}) is.
 *
 * @param gameId the game
 * @param sentLockVersion the {@code lock_version} in the request body, or -1 when it had none
 * @param currentLockVersion the game's {@code lock_version} when the request arrived
 * @param status what the model answered: 200 saved, 409 stale, 422 invalid
 */
public record GameWrite(long gameId, long sentLockVersion, long currentLockVersion, int status) {

  /**
   * Whether the write carried a stale {@code lock_version}.
   *
   * @return true when the model refused it with 409
   */
  public boolean stale() {
    return status == 409;
  }
}
