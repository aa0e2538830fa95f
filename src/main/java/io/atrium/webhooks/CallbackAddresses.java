package io.atrium.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Where a callback may go: not to loopback, private, link-local, unique-local or unspecified addresses (a client could
 * otherwise make atrium POST into its own network: SSRF), unless {@code webhooks.allow_private}. Checked on the URL
 * when a task is given it (an IP literal or "localhost"), and on every address the name resolves to before each
 * attempt (a name can point anywhere, and change).
 */
final class CallbackAddresses {
  private CallbackAddresses() {
  }

  /** Why a URL's host is refused before any lookup, or null: IP literals and localhost names. */
  static String literalRefusal(String url) {
    String host = URI.create(url).getHost();
    if (host == null) {
      return "the callback URL has no host";
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost") || bare.toLowerCase(java.util.Locale.ROOT).endsWith(".localhost")) {
      return "the callback URL points at this machine (" + host + ")";
    }
    if (bare.matches("[0-9.]+") || bare.contains(":")) {
      try {
        InetAddress address = InetAddress.getByName(bare); // a literal: no lookup
        return refusal(address);
      } catch (UnknownHostException e) {
        return "the callback URL's host " + host + " is not an address";
      }
    }
    return null;
  }

  /** Resolves the URL's host (blocking: call off the event loop) and answers why it is refused, or null. */
  static String resolvedRefusal(String url) throws UnknownHostException {
    String host = URI.create(url).getHost();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    for (InetAddress address : InetAddress.getAllByName(bare)) {
      String refusal = refusal(address);
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  private static String refusal(InetAddress address) {
    boolean uniqueLocal = address.getAddress().length == 16 && (address.getAddress()[0] & 0xfe) == 0xfc;
    boolean carrierGrade = address.getAddress().length == 4 && (address.getAddress()[0] & 0xff) == 100
        && (address.getAddress()[1] & 0xc0) == 64;
    if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocal || carrierGrade) {
      return "the callback URL resolves to a private address (" + address.getHostAddress() + "); set "
          + "webhooks.allow_private to allow it";
    }
    return null;
  }
}
