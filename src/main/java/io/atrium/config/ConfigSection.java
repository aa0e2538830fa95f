package io.atrium.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * One section of the configuration, read by key. conf/atrium.yaml is always loaded first, as the base layer, so
 * every key has a value; one that is missing is a mistake in that file (or in a config built by hand), and fails
 * naming {@code section.key} instead of falling back on a second copy of its default in code.
 */
public record ConfigSection(String name, JsonObject values) {

  public ConfigSection {
    if (values == null) {
      throw new IllegalArgumentException("the configuration has no section " + name + " (conf/atrium.yaml defines it)");
    }
  }

  /** The section {@code name} of {@code config}: the whole configuration, or a verticle's config of sections. */
  public static ConfigSection of(JsonObject config, String name) {
    return new ConfigSection(name, config.getValue(name) instanceof JsonObject values ? values : null);
  }

  public Object value(String key) {
    Object value = values.getValue(key);
    if (value == null) {
      throw new IllegalArgumentException(path(key) + " is not configured (conf/atrium.yaml, the base layer, "
          + "defines every key)");
    }
    return value;
  }

  /** A scalar as text: a YAML {@code 1234} given where a key or name is expected is still that text. */
  public String string(String key) {
    Object value = value(key);
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw new IllegalArgumentException(path(key) + " must be a single value, not " + value);
    }
    return String.valueOf(value);
  }

  public int integer(String key) {
    return number(key).intValue();
  }

  public long longInteger(String key) {
    return number(key).longValue();
  }

  public double decimal(String key) {
    return number(key).doubleValue();
  }

  public boolean bool(String key) {
    if (!(value(key) instanceof Boolean flag)) {
      throw new IllegalArgumentException(path(key) + " must be true or false, not '" + value(key) + "'");
    }
    return flag;
  }

  /**
   * A list: a YAML list or a comma-separated string (so that {@code ATRIUM_MEDIA_SOURCE_DIRS=/downloads,/more} works
   * from the environment); blank entries dropped.
   */
  public List<String> strings(String key) {
    Object value = value(key);
    List<String> list = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(item -> list.add(String.valueOf(item).strip()));
    } else if (value instanceof String text) {
      for (String part : text.split(",")) {
        list.add(part.strip());
      }
    } else {
      throw new IllegalArgumentException(path(key) + " must be a list or a comma-separated string, not '" + value + "'");
    }
    list.removeIf(String::isEmpty);
    return List.copyOf(list);
  }

  /**
   * An http or https URL with a host, stripped; blank is allowed only when {@code optional} (answered as ""). Every
   * base URL atrium calls out to is one: a {@code file:} or {@code jar:} URL would make the client read local files.
   */
  public String httpUrl(String key, boolean optional) {
    String text = string(key).strip();
    if (text.isEmpty() && optional) {
      return text;
    }
    try {
      URI uri = new URI(text);
      if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null) {
        return text;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException(path(key) + " must be an http or https URL, not '" + text + "'");
  }

  private Number number(String key) {
    if (!(value(key) instanceof Number number)) {
      throw new IllegalArgumentException(path(key) + " must be a number, not '" + value(key) + "'");
    }
    return number;
  }

  private String path(String key) {
    return name + "." + key;
  }
}
