package io.atrium.http;

import io.atrium.config.ConfigSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may use the API: the operator's bearer tokens ({@code http.api_token}, and {@code http.api_tokens} with names,
 * so that a new token can be handed out before the old one is withdrawn), and the short-lived tickets that open a
 * WebSocket or the event-bus bridge — a browser cannot put a header on a WebSocket, and a token in a URL ends up in
 * proxy logs and browser history, a ticket that expires in a minute does not matter there.
 * <p>
 * A ticket is {@code t1.<token name>.<expiry, epoch s>.<nonce>.<HMAC-SHA256 of the rest under that token>}: nothing
 * to store or share between front ends, and withdrawing a token withdraws its tickets.
 * <p>
 * With no token, the API is open — allowed only while it listens on loopback, or when the operator says
 * {@code http.insecure_no_auth: true} knowingly: {@link #fromConfig} refuses anything else, before atrium starts.
 */
public final class ApiAccess {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int MIN_TOKEN_LENGTH = 16;
  private static final String TICKET_VERSION = "t1";
  private static final String DEFAULT_NAME = "default";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One bearer token: its name (what logs and /health show) and the SHA-256 it is compared by. */
  private record Token(String name, byte[] secret, byte[] digest, LongAdder requests) {
  }

  /** The outcome of a ticket check: the token name it was issued under, or why it does not open anything. */
  record TicketCheck(String tokenName, String refusal) {
    boolean valid() {
      return tokenName != null;
    }
  }

  private final List<Token> tokens;
  private final Map<String, Token> byName;
  private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
  private final boolean insecureNoAuth;
  private final long ticketTtlSeconds;
  /** Signs tickets when no token is configured: they open nothing that is closed, clients just need not care. */
  private final byte[] openTicketKey = randomBytes(32);
  private final Clock clock;

  private ApiAccess(List<Token> tokens, boolean insecureNoAuth, long ticketTtlSeconds, Clock clock) {
    this.tokens = List.copyOf(tokens);
    Map<String, Token> names = new HashMap<>();
    tokens.forEach(token -> names.put(token.name(), token));
    this.byName = Map.copyOf(names);
    this.insecureNoAuth = insecureNoAuth;
    this.ticketTtlSeconds = ticketTtlSeconds;
    this.clock = clock;
  }

  /**
   * The access rules of the http section. Fails, naming the key, for a token too short to be a secret, a name used
   * twice, or a server that would listen beyond loopback with no token and no explicit {@code insecure_no_auth}.
   */
  public static ApiAccess fromConfig(JsonObject httpSection) {
    return fromConfig(new ConfigSection("http", httpSection), Clock.systemUTC());
  }

  static ApiAccess fromConfig(ConfigSection http, Clock clock) {
    List<Token> tokens = new ArrayList<>();
    String single = http.string("api_token").strip();
    if (!single.isEmpty()) {
      tokens.add(token(DEFAULT_NAME, single, "http.api_token"));
    }
    for (String entry : http.strings("api_tokens")) {
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("http.api_tokens entries are name:token (e.g. laptop:<32 random hex "
            + "characters>); one entry has no name");
      }
      String name = entry.substring(0, colon).strip();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("http.api_tokens: the name '" + name + "' must be 1-64 letters, digits, "
            + "'_' or '-'");
      }
      if (tokens.stream().anyMatch(t -> t.name().equals(name))) {
        throw new IllegalArgumentException("http.api_tokens: the name '" + name + "' is used twice"
            + (name.equals(DEFAULT_NAME) ? " ('default' is http.api_token's)" : ""));
      }
      tokens.add(token(name, entry.substring(colon + 1).strip(), "http.api_tokens (" + name + ")"));
    }
    long ttl = http.longInteger("ticket_ttl_s");
    if (ttl < 1) {
      throw new IllegalArgumentException("http.ticket_ttl_s must be at least 1, not " + ttl);
    }
    boolean insecure = http.bool("insecure_no_auth");
    String host = http.string("host");
    if (tokens.isEmpty() && !insecure && !RequestGuard.isLoopback(host.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("atrium would listen on " + host + " (http.host), beyond this machine, with no "
          + "API token: anyone who reaches the port could read every document and spend the provider keys. Set "
          + "ATRIUM_HTTP_API_TOKEN (http.api_token, e.g. `openssl rand -hex 32`), or listen on 127.0.0.1, or set "
          + "http.insecure_no_auth: true if something in front of atrium authenticates every request");
    }
    return new ApiAccess(tokens, insecure, ttl, clock);
  }

  private static Token token(String name, String secret, String key) {
    if (secret.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(key + " must be at least " + MIN_TOKEN_LENGTH + " characters (it is "
          + secret.length() + "); e.g. `openssl rand -hex 32`");
    }
    if (secret.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException(key + " may hold only printable ASCII without spaces (it is sent in a header)");
    }
    byte[] bytes = secret.getBytes(StandardCharsets.US_ASCII);
    return new Token(name, bytes, sha256(bytes), new LongAdder());
  }

  /** Whether requests must carry a token (or, for sockets, a ticket). */
  boolean required() {
    return !tokens.isEmpty();
  }

  /** No token, and the operator said so while listening beyond loopback: worth a loud line at every start. */
  boolean insecure() {
    return tokens.isEmpty() && insecureNoAuth;
  }

  long ticketTtlSeconds() {
    return ticketTtlSeconds;
  }

  /**
   * The name of the token an {@code Authorization} header carries, or null. Compared by SHA-256 in constant time,
   * so neither the length nor a prefix of a token can be learnt from how long a refusal takes.
   */
  String tokenNameOf(String authorization) {
    if (authorization == null || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] digest = sha256(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    Token match = null;
    for (Token token : tokens) {
      if (MessageDigest.isEqual(token.digest(), digest)) {
        match = token;
      }
    }
    if (match == null) {
      return null;
    }
    match.requests().increment();
    lastUsed.put(match.name(), clock.instant());
    return match.name();
  }

  /** A new ticket for the holder of {@code tokenName} (null when no token is configured). */
  JsonObject issueTicket(String tokenName) {
    Instant expires = clock.instant().plusSeconds(ticketTtlSeconds);
    String name = tokenName == null ? "open" : tokenName;
    String unsigned = TICKET_VERSION + "." + name + "." + expires.getEpochSecond() + "."
        + HexFormat.of().formatHex(randomBytes(16));
    byte[] key = tokenName == null ? openTicketKey : byName.get(tokenName).secret();
    return new JsonObject()
        .put("ticket", unsigned + "." + signature(key, unsigned))
        .put("expires_at", expires.toString())
        .put("expires_in_s", ticketTtlSeconds)
        .put("auth_required", required());
  }

  /** Whether {@code ticket} was issued under a token configured now, unaltered, and has not expired. */
  TicketCheck checkTicket(String ticket) {
    String[] parts = ticket.split("\\.", -1);
    Token token = parts.length == 5 && parts[0].equals(TICKET_VERSION) ? byName.get(parts[1]) : null;
    if (token == null) {
      return new TicketCheck(null, "the ticket is not one this server issued");
    }
    String unsigned = ticket.substring(0, ticket.lastIndexOf('.'));
    if (!MessageDigest.isEqual(signature(token.secret(), unsigned).getBytes(StandardCharsets.US_ASCII),
        parts[4].getBytes(StandardCharsets.US_ASCII))) {
      return new TicketCheck(null, "the ticket is not one this server issued");
    }
    long expiry;
    try {
      expiry = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      return new TicketCheck(null, "the ticket is not one this server issued");
    }
    if (clock.instant().getEpochSecond() >= expiry) {
      return new TicketCheck(null, "the ticket expired (tickets last " + ticketTtlSeconds + " s: ask "
          + "POST /api/v1/auth/ticket for a new one right before connecting)");
    }
    return new TicketCheck(token.name(), null);
  }

  /** For /health: whether auth is on, and per token name (never the secret) how often it was used since start. */
  JsonObject describe() {
    JsonObject auth = new JsonObject().put("required", required());
    if (insecure()) {
      auth.put("insecure_no_auth", true);
    }
    if (required()) {
      JsonArray names = new JsonArray();
      for (Token token : tokens) {
        Instant used = lastUsed.get(token.name());
        names.add(new JsonObject().put("name", token.name()).put("requests", token.requests().sum())
            .put("last_used_at", used == null ? null : used.toString()));
      }
      auth.put("tokens", names);
    }
    return auth;
  }

  private static String signature(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
