package io.atrium.media.name;

/**
 * Where the title is in the zone: from the title start to the first stop (a marker, a bracket, a spaced dash or a
 * tag). A name that opens with a marker ("01 - Title") has its title after it ({@code afterMarker}); weak tags
 * before a dash are skipped ("French - Title"); "James_Bond-f21-Casino_Royale" is film 21, titled after the number.
 */
record TitleSpan(int start, int end, boolean afterMarker) {

  /** Null when no title text is left. */
  static TitleSpan find(String zone, Tokens tokens, Markers markers, int from) {
    int begin = tokens.firstStart(from);
    if (begin >= zone.length()) {
      return null;
    }
    Marker opening = markers.at(begin);
    if (opening != null && opening.kind().consumes() && opening.kind() != Marker.Kind.YEAR) {
      int after = tokens.firstStart(opening.end());
      if (after >= zone.length() || tokens.tagAt(after)) {
        return null;
      }
      int end = stop(zone, tokens, markers, after);
      return end > after ? new TitleSpan(after, end, true) : null;
    }
    int end = stop(zone, tokens, markers, begin);
    Marker next = markers.at(end);
    if (next != null && next.kind() == Marker.Kind.DASH && tokens.onlyWeakTags(begin, end)) {
      return find(zone, tokens, markers, next.end());
    }
    if (next != null && next.kind() == Marker.Kind.FILM) {
      int after = tokens.firstStart(next.end());
      int filmEnd = stop(zone, tokens, markers, after);
      return filmEnd > after ? new TitleSpan(after, filmEnd, false) : null;
    }
    return end > begin ? new TitleSpan(begin, end, false) : null;
  }

  private static int stop(String zone, Tokens tokens, Markers markers, int begin) {
    return Math.min(zone.length(), Math.min(markers.firstStartAfter(begin), tokens.firstTagAfter(begin)));
  }
}
