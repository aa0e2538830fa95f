package io.atrium.media.name;

/** A span of the zone that is not title: an episode marker, a date, a year, a tag-like stop. */
record Marker(int start, int end, Kind kind) {

  /** The first four kinds consume their text (no later marker may overlap it); the others only end a title. */
  enum Kind {
    EPISODE, DATE, YEAR, NUMBER, RANGE, FILM, DASH, STOP;

    boolean consumes() {
      return ordinal() <= NUMBER.ordinal();
    }
  }

  boolean covers(int position) {
    return start <= position && position < end;
  }
}
