package io.atrium.chat;

import io.atrium.bus.ErrorCode;
import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@code chat:} section: each provider's default base URL and optional server-side key
 * ({@code <provider>_base_url}, {@code <provider>_api_key}), the call settings, and how much retrieved context a
 * prompt may carry. A server key is only ever sent to its provider's configured base URL, never to a base_url a
 * request names (which could otherwise collect it).
 */
public record ChatSettings(LlmSettings llm, Map<Provider, String> baseUrls, Map<Provider, String> keys,
    int maxConnections, int contextTopK, int contextTokenBudget) {

  public static ChatSettings fromJson(JsonObject json) {
    ConfigSection chat = new ConfigSection("chat", json);
    Map<Provider, String> urls = new EnumMap<>(Provider.class);
    Map<Provider, String> keys = new EnumMap<>(Provider.class);
    for (Provider provider : Provider.values()) {
      urls.put(provider, chat.httpUrl(provider.wireName() + "_base_url", false));
      String key = chat.string(provider.wireName() + "_api_key");
      if (!key.isBlank()) {
        keys.put(provider, key.strip());
      }
    }
    return new ChatSettings(LlmSettings.fromJson(json), Map.copyOf(urls), Map.copyOf(keys),
        chat.integer("max_connections"), chat.integer("context_top_k"), chat.integer("context_token_budget"));
  }

  /** Where a request goes and with which key; a 400 naming api_key when a needed key is nowhere. */
  public Endpoint resolve(Provider provider, String requestBaseUrl, String requestKey) {
    String configured = baseUrls.get(provider);
    boolean ownEndpoint = requestBaseUrl == null || strip(requestBaseUrl).equals(strip(configured));
    String key = requestKey != null ? requestKey : ownEndpoint ? keys.get(provider) : null;
    if (key == null && provider.needsKey && ownEndpoint) {
      throw ErrorCode.INVALID_REQUEST.exception("api_key is required: the request has none and no server key is "
          + "configured for " + provider.wireName() + " (chat." + provider.wireName() + "_api_key)", "api_key");
    }
    return new Endpoint(provider, requestBaseUrl != null ? requestBaseUrl : configured, key);
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
