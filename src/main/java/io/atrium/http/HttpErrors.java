package io.atrium.http;

import io.atrium.bus.ErrorCode;
import io.atrium.bus.Failure;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders every failure as {@code {"error": {"code", "message", "field"?}}} with the right HTTP status. */
final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {
  }

  static void handle(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpClosedException) {
      return; // the client went away mid-request, or was closed as too slow (ConnectionDeadlines): nobody to answer
    }
    Failure failure = failureOf(ctx);
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (failure.retryAfterSeconds() != null) {
      ctx.response().putHeader("retry-after", String.valueOf(failure.retryAfterSeconds()));
    }
    ctx.response().setStatusCode(failure.code().status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", failure.toJson()).encode());
  }

  private static Failure failureOf(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof BadRequest bad) {
      return new Failure(ErrorCode.INVALID_REQUEST, bad.getMessage(), bad.field());
    }
    if (failure instanceof NotFound missing) {
      return new Failure(ErrorCode.NOT_FOUND, missing.getMessage(), missing.field());
    }
    if (failure instanceof HttpException http) {
      ErrorCode code = ErrorCode.forStatus(http.getStatusCode());
      return new Failure(code, http.getPayload() != null ? http.getPayload() : messageFor(code), null);
    }
    if (failure != null) {
      Failure read = Failure.of(failure);
      if (read.code() == ErrorCode.INTERNAL) {
        LOG.error("internal error {} on {} {}", read.details().getString("reference"), ctx.request().method(),
            ctx.request().path());
      }
      return read;
    }
    ErrorCode code = ErrorCode.forStatus(ctx.statusCode() > 0 ? ctx.statusCode() : 500);
    return new Failure(code, messageFor(code), null);
  }

  private static String messageFor(ErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> "no such endpoint";
      case METHOD_NOT_ALLOWED -> "method not allowed on this endpoint";
      case TOO_LARGE -> "request body is larger than allowed";
      case UNSUPPORTED_MEDIA_TYPE -> "unsupported content type";
      default -> "request failed with status " + code.status;
    };
  }

  /** A request the HTTP layer itself rejects, naming the offending field. */
  static final class BadRequest extends RuntimeException {
    private final String field;

    BadRequest(String message, String field) {
      super(message, null, false, false);
      this.field = field;
    }

    String field() {
      return field;
    }
  }

  /** An id that names nothing. */
  static final class NotFound extends RuntimeException {
    private final String field;

    NotFound(String message, String field) {
      super(message, null, false, false);
      this.field = field;
    }

    String field() {
      return field;
    }
  }
}
