package io.atrium.media;

/** Why a TMDB lookup failed, and whether trying the same file later can help. Stackless: a remote answer, not a bug. */
final class TmdbFailure extends RuntimeException {
  enum Kind {
    /** TMDB down, timing out, still rate limiting after the retries, or its breaker open: try the file again later. */
    UNAVAILABLE,
    /** TMDB refused the key or token. */
    REFUSED,
    /** No such movie or show id. */
    NOT_FOUND,
    /** An answer atrium cannot read. */
    BAD_RESPONSE
  }

  final Kind kind;

  TmdbFailure(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }
}
