package io.atrium.media.name;

/** Runs the stages of {@link NameParser} up to the one under test, in its order, on a name. */
final class Stages {
  final Zone zone;
  final Tokens tokens;
  final Findings markers;
  final int titleStart;

  private Stages(String name) {
    zone = Zone.of(name);
    tokens = Tokens.read(zone.text());
    markers = TitleStops.find(zone.text(), EpisodeMarkers.find(zone));
    titleStart = tokens.titleStart(markers.markers());
  }

  static Stages of(String name) {
    return new Stages(name);
  }

  Findings leadingNumber() {
    return LeadingNumber.read(zone, titleStart, markers);
  }

  Findings year() {
    return ReleaseYear.choose(zone.text(), tokens, titleStart, leadingNumber());
  }

  Findings bareNumber() {
    return BareNumber.read(zone, tokens, titleStart, year());
  }

  TitleSpan span() {
    return TitleSpan.find(zone.text(), tokens, bareNumber().markers(), titleStart);
  }

  /** The span's text, before it is cleaned into a title. */
  String title() {
    TitleSpan span = span();
    return span == null ? null : zone.text().substring(span.start(), span.end());
  }
}
