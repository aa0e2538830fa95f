package io.atrium.agent;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Failure;

/** How an agent job's failure is recorded on its row and answered to the caller. */
final class AgentFailures {
  /** The model never produced a valid answer. */
  static final class HopelessOutput extends RuntimeException implements Failure.Carrier {
    final int attempts;

    HopelessOutput(String reason, int attempts) {
      super(reason, null, false, false);
      this.attempts = attempts;
    }

    @Override
    public Failure failure() {
      return new Failure(ErrorCode.BAD_GATEWAY,
          "the model's answer was not usable after " + attempts + " attempt(s): " + getMessage(), null);
    }
  }

  private AgentFailures() {
  }

  /**
   * The failure for the caller, whose message is also what last_error keeps: a provider's own failure is kept
   * (401, 429 with retry_after, 503 …); a model that did not answer in time is unavailable for now.
   */
  static Failure of(Throwable e) {
    Failure failure = Failure.of(e);
    return failure.code() == ErrorCode.TIMEOUT
        ? new Failure(ErrorCode.UNAVAILABLE, "the model did not answer in time", null) : failure;
  }

  static int attempts(Throwable e) {
    return e instanceof HopelessOutput hopeless ? hopeless.attempts : 1;
  }
}
