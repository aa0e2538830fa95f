package io.atrium.bus;

/** The status words of seed 000 ({@code processing_stage} and the status clients see). */
public enum Stage {
  TODO, CHUNKING, EMBEDDING, DONE, ERROR;

  public String word() {
    return name().toLowerCase();
  }

  public static Stage of(String word) {
    if (word == null) {
      return TODO;
    }
    for (Stage stage : values()) {
      if (stage.word().equals(word)) {
        return stage;
      }
    }
    return TODO;
  }
}
