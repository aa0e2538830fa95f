package io.atrium.parse;

/** A file that cannot be parsed; {@code permanent} means retrying the same bytes cannot help. */
public final class ParseFailure extends Exception {
  private final boolean permanent;

  public ParseFailure(String message, boolean permanent) {
    super(message);
    this.permanent = permanent;
  }

  public boolean permanent() {
    return permanent;
  }
}
