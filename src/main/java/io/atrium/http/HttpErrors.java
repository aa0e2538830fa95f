package io.atrium.http;

import io.atrium.bus.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
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
    Throwable failure = ctx.failure();
    int status;
    JsonObject error;
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case RECIPIENT_FAILURE -> {
          status = reply.failureCode() >= 400 && reply.failureCode() < 600 ? reply.failureCode() : 500;
          error = parse(reply.getMessage(), status);
        }
        case TIMEOUT -> {
          status = 504;
          error = body("timeout", "the request took too long inside atrium");
        }
        default -> {
          status = 503;
          error = body("unavailable", "the service that handles this request is not running");
        }
      }
    } else if (failure instanceof BadRequest bad) {
      status = 400;
      error = ErrorCode.INVALID_REQUEST.body(bad.getMessage(), bad.field());
    } else if (failure instanceof NotFound missing) {
      status = 404;
      error = ErrorCode.NOT_FOUND.body(missing.getMessage(), missing.field());
    } else if (failure instanceof DecodeException) {
      status = 400;
      error = body("invalid_request", "the body is not valid JSON");
    } else if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      error = body(codeFor(status), http.getPayload() != null ? http.getPayload() : messageFor(status));
    } else if (failure != null) {
      status = 500;
      LOG.error("unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      error = body("internal", "internal error");
    } else {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      error = body(codeFor(status), messageFor(status));
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (error.getValue("retry_after") instanceof Number seconds) {
      ctx.response().putHeader("retry-after", String.valueOf(seconds.longValue()));
    }
    ctx.response().setStatusCode(status)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", error).encode());
  }

  private static JsonObject parse(String message, int status) {
    if (message != null && message.startsWith("{")) {
      try {
        return new JsonObject(message);
      } catch (DecodeException ignored) {
        // fall through to a plain message
      }
    }
    return body(codeFor(status), message == null ? messageFor(status) : message);
  }

  private static JsonObject body(String code, String message) {
    return new JsonObject().put("code", code).put("message", message);
  }

  static String codeFor(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "unauthorized";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 413 -> "too_large";
      case 415 -> "unsupported_media_type";
      case 422 -> "unprocessable";
      case 429 -> "rate_limited";
      case 502 -> "bad_gateway";
      case 503 -> "unavailable";
      case 504 -> "timeout";
      default -> status >= 500 ? "internal" : "invalid_request";
    };
  }

  private static String messageFor(int status) {
    return switch (status) {
      case 404 -> "no such endpoint";
      case 405 -> "method not allowed on this endpoint";
      case 413 -> "request body is larger than allowed";
      case 415 -> "unsupported content type";
      default -> "request failed with status " + status;
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
