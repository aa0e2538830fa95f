package io.atrium.chat;

/**
 * Where a request goes: a provider, its base URL and the key to present (null when none is needed). The key is
 * masked in {@link #toString()} so an endpoint can never leak it into a log line.
 */
public record Endpoint(Provider provider, String baseUrl, String apiKey) {
  public Endpoint {
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  @Override
  public String toString() {
    return provider.wireName() + " at " + baseUrl + (apiKey == null ? "" : " (key ***)");
  }
}
