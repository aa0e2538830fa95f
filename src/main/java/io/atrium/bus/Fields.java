package io.atrium.bus;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Checks of request body fields that every verticle's requests share. A wrong field is an
 * {@link ErrorCode#INVALID_REQUEST} (HTTP 400) naming it; an absent optional field is null.
 */
public final class Fields {
  private Fields() {
  }

  /** A positive integer, or null when absent. */
  public static Long optionalPositiveLong(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() <= 0) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be a positive integer", field);
    }
    return ((Number) value).longValue();
  }

  /** A positive integer that must be there. */
  public static long positiveLong(JsonObject body, String field) {
    Long value = optionalPositiveLong(body, field);
    if (value == null) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be a positive integer", field);
    }
    return value;
  }

  /** true or false, or null when absent. */
  public static Boolean optionalBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be true or false", field);
    }
    return (Boolean) value;
  }

  /** A string of at most {@code maxChars} characters (blank allowed), or null when absent. */
  public static String optionalString(JsonObject body, String field, int maxChars) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.length() > maxChars) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be a string of at most " + maxChars + " characters", field);
    }
    return text;
  }

  /** A non-blank string of at most {@code maxChars} characters, kept exactly as given (a file path may end in a space). */
  public static String exactText(JsonObject body, String field, int maxChars) {
    Object value = body.getValue(field);
    if (!(value instanceof String text) || text.isBlank() || text.length() > maxChars) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be a non-empty string of at most " + maxChars
          + " characters", field);
    }
    return text;
  }

  /**
   * An outbound base URL (a provider's, a judge's, a callback's): http or https with a host, no credentials, query or
   * fragment (keys travel as api_key, never in a URL that lands in logs); stripped; null when absent. Anything
   * else — {@code file:}, {@code jar:}, a bare path — is a 400 naming {@code field}.
   */
  public static String optionalHttpUrl(JsonObject body, String field) {
    return httpUrl(body.getValue(field), field);
  }

  /** {@link #optionalHttpUrl} of a value already taken out of its body ({@code field} names it in a failure). */
  public static String httpUrl(Object value, String field) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.length() > 2000) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be an http or https URL", field);
    }
    try {
      URI uri = new URI(text.strip());
      if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
        throw ErrorCode.INVALID_REQUEST.exception(field + " must be an http or https URL", field);
      }
      if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw ErrorCode.INVALID_REQUEST.exception(field + " must not carry credentials, a query or a fragment "
            + "(give the key as api_key)", field);
      }
      return text.strip();
    } catch (URISyntaxException e) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be an http or https URL", field);
    }
  }

  /** A non-blank string of at most {@code maxChars} characters, stripped; null when absent and not required. */
  public static String text(JsonObject body, String field, int maxChars, boolean required) {
    Object value = body.getValue(field);
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof String text) || text.isBlank() || text.length() > maxChars) {
      throw ErrorCode.INVALID_REQUEST.exception(field + " must be a non-empty string"
          + (maxChars == Integer.MAX_VALUE ? "" : " of at most " + maxChars + " characters"), field);
    }
    return text.strip();
  }
}
