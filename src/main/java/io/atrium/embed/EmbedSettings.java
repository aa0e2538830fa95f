package io.atrium.embed;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/** The embed section of conf/atrium.yaml, and the chunk section that decides what is embedded. */
record EmbedSettings(int chunkSizeTokens, int chunkOverlapTokens, String provider, String model, int threads,
    Remote remote) {

  /** An OpenAI-compatible {@code /v1/embeddings} server, used when the provider is openai. */
  record Remote(String baseUrl, String apiKey, String model, int batch, long timeoutMs, String language) {
  }

  /** {@code config} holds the chunk and embed sections, as the embed verticle is given them. */
  static EmbedSettings fromJson(JsonObject config) {
    ConfigSection chunk = ConfigSection.of(config, "chunk");
    ConfigSection embed = ConfigSection.of(config, "embed");
    return new EmbedSettings(
        chunk.integer("size_tokens"),
        chunk.integer("overlap_tokens"),
        embed.string("provider"),
        embed.string("model"),
        embed.integer("threads"),
        new Remote(
            embed.httpUrl("remote_base_url", true),
            embed.string("remote_api_key"),
            embed.string("remote_model"),
            embed.integer("remote_batch"),
            embed.longInteger("remote_timeout_ms"),
            embed.string("remote_language")));
  }
}
