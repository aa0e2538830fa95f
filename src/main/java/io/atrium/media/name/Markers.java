package io.atrium.media.name;

import java.util.ArrayList;
import java.util.List;

/** The markers found so far, in the order they were found (which {@link #at} depends on). Immutable. */
final class Markers {
  static final Markers NONE = new Markers(List.of());

  private final List<Marker> list;

  private Markers(List<Marker> list) {
    this.list = list;
  }

  List<Marker> list() {
    return list;
  }

  Markers with(Marker marker) {
    return withAll(List.of(marker));
  }

  Markers withAll(List<Marker> markers) {
    List<Marker> longer = new ArrayList<>(list.size() + markers.size());
    longer.addAll(list);
    longer.addAll(markers);
    return new Markers(List.copyOf(longer));
  }

  /** Whether a span overlaps text an earlier marker consumed. */
  boolean overlaps(int start, int end) {
    return list.stream().anyMatch(m -> m.kind().consumes() && start < m.end() && m.start() < end);
  }

  boolean consumingAt(int position) {
    return list.stream().anyMatch(m -> m.kind().consumes() && m.covers(position));
  }

  /** The consuming marker over a position; else the first marker of any kind that starts there; else null. */
  Marker at(int position) {
    Marker found = null;
    for (Marker marker : list) {
      if (marker.covers(position) && marker.kind().consumes()) {
        return marker;
      }
      if (marker.start() == position && found == null) {
        found = marker;
      }
    }
    return found;
  }

  boolean startsAt(int position, Marker.Kind kind) {
    return list.stream().anyMatch(m -> m.kind() == kind && m.start() == position);
  }

  boolean insideStop(int position) {
    return list.stream().anyMatch(m -> m.kind() == Marker.Kind.STOP && m.covers(position));
  }

  boolean dateEndsBy(int position) {
    return list.stream().anyMatch(m -> m.kind() == Marker.Kind.DATE && m.end() <= position);
  }

  /** The start of the first marker after a position, or {@code Integer.MAX_VALUE}. */
  int firstStartAfter(int position) {
    return list.stream().mapToInt(Marker::start).filter(start -> start > position).min().orElse(Integer.MAX_VALUE);
  }
}
