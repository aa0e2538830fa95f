package io.atrium.chat;

import io.atrium.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;

/**
 * A streamed answer in progress: {@link #started()} completes once the provider accepted the request (its 200
 * headers, after any retries) or fails with the mapped error; the deltas then flow to the listener given to
 * {@link LlmClient#stream}; {@link #result()} completes with the whole text and usage at the end.
 */
public final class LlmStream {
  private final Promise<Void> started = Promise.promise();
  private final Promise<LlmReply> result = Promise.promise();
  private final Provider provider;
  private HttpClientRequest request;
  private boolean cancelled;

  LlmStream(Provider provider) {
    this.provider = provider;
  }

  public Future<Void> started() {
    return started.future();
  }

  public Future<LlmReply> result() {
    return result.future();
  }

  /** Stops the call (the client went away): the provider connection is reset and the result fails. */
  public void cancel() {
    cancelled = true;
    fail(LlmFailure.of(ErrorCode.UNAVAILABLE, provider, "the stream was cancelled"));
    if (request != null) {
      request.reset();
    }
  }

  boolean cancelled() {
    return cancelled;
  }

  void request(HttpClientRequest request) {
    this.request = request;
  }

  void start() {
    started.tryComplete();
  }

  void complete(LlmReply reply) {
    result.tryComplete(reply);
  }

  void fail(LlmFailure failure) {
    started.tryFail(failure);
    result.tryFail(failure);
  }

  void abort(LlmFailure failure) {
    fail(failure);
    if (request != null) {
      request.reset();
    }
  }
}
