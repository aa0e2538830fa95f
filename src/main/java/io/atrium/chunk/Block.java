package io.atrium.chunk;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/** A structural unit of a parsed document: a heading or a paragraph, as a range of the document's text. */
public record Block(int start, int end, Integer page, boolean heading) {

  /** Compact bus form: [start, end, page|null, heading]. */
  public JsonArray toJson() {
    return new JsonArray().add(start).add(end).add(page).add(heading);
  }

  public static Block fromJson(JsonArray json) {
    return new Block(json.getInteger(0), json.getInteger(1), json.getInteger(2), json.getBoolean(3));
  }

  public static JsonArray toJson(List<Block> blocks) {
    JsonArray array = new JsonArray();
    blocks.forEach(block -> array.add(block.toJson()));
    return array;
  }

  public static List<Block> fromJson(JsonArray array, int textLength) {
    List<Block> blocks = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Block block = fromJson(array.getJsonArray(i));
      if (block.start() < 0 || block.end() > textLength || block.start() > block.end()) {
        throw new IllegalArgumentException("block " + i + " lies outside the text");
      }
      blocks.add(block);
    }
    return blocks;
  }
}
