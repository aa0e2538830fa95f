package io.atrium.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature (standardwebhooks.com): {@code v1,} and the base64 HMAC-SHA256 of
 * {@code <webhook-id>.<webhook-timestamp>.<body>}. A secret of the scheme's form {@code whsec_<base64>} is used as the
 * bytes it encodes (what the scheme's libraries do); any other secret as its UTF-8 bytes.
 */
final class WebhookSigner {
  static final int MIN_SECRET_CHARS = 24;
  private final SecretKeySpec key;

  WebhookSigner(String secret) {
    byte[] bytes = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
        : secret.getBytes(StandardCharsets.UTF_8);
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  String sign(String webhookId, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] signed = mac.doFinal((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(signed);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
