package io.atrium.agent;

import io.atrium.bus.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/** How an agent job's failure is recorded on its row and answered to the caller. */
final class AgentFailures {
  /** The model never produced a valid answer. */
  static final class HopelessOutput extends RuntimeException {
    final int attempts;

    HopelessOutput(String reason, int attempts) {
      super(reason, null, false, false);
      this.attempts = attempts;
    }
  }

  private AgentFailures() {
  }

  /** The reason stored in last_error and shown to the caller. */
  static String describe(Throwable e) {
    if (e instanceof HopelessOutput hopeless) {
      return "the model's answer was not usable after " + hopeless.attempts + " attempt(s): " + hopeless.getMessage();
    }
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.getMessage() != null
        && reply.getMessage().startsWith("{")) {
      return new JsonObject(reply.getMessage()).getString("message", reply.getMessage());
    }
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
      return "the model did not answer in time";
    }
    return String.valueOf(e.getMessage());
  }

  static int attempts(Throwable e) {
    return e instanceof HopelessOutput hopeless ? hopeless.attempts : 1;
  }

  /** The bus failure for the caller: a provider's own failure is kept (401, 429 with retry_after, 503 …). */
  static ReplyException toReply(Throwable e) {
    if (e instanceof HopelessOutput) {
      return ErrorCode.BAD_GATEWAY.exception(describe(e));
    }
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return reply;
    }
    if (e instanceof ReplyException) {
      return ErrorCode.UNAVAILABLE.exception(describe(e));
    }
    return ErrorCode.INTERNAL.exception(describe(e));
  }
}
