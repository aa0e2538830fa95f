package io.atrium.media.name;

import io.atrium.text.TitleText;

/**
 * Reads one path segment (a file name without its extension, or a folder name), in stages that each take what the
 * previous ones found and return what they add: the zone to read ({@link Zone}), its tokens and release tags
 * ({@link Tokens}), dates and season and episode markers ({@link EpisodeMarkers}), what else ends a title
 * ({@link TitleStops}), a leading episode number ({@link LeadingNumber}), the year ({@link ReleaseYear}), a bare
 * episode number ({@link BareNumber}), and last the title: what comes before the first marker or tag, or what
 * follows a marker the name starts with ({@link TitleSpan}), or else a bracket block ({@link BracketTitle}).
 */
public final class NameParser {

  /** What one segment says. */
  public record Parsed(String title, Integer year, Integer season, Integer episode, boolean dated,
      boolean titleAfterMarker, int strongTags) {
    public boolean saysEpisode() {
      return season != null || episode != null || dated;
    }
  }

  private NameParser() {
  }

  public static Parsed parse(String name) {
    Zone zone = Zone.of(name);
    Tokens tokens = Tokens.read(zone.text());
    Findings found = TitleStops.find(zone.text(), EpisodeMarkers.find(zone));
    int titleStart = tokens.titleStart(found.markers());
    found = LeadingNumber.read(zone, titleStart, found);
    found = ReleaseYear.choose(zone.text(), tokens, titleStart, found);
    found = BareNumber.read(zone, tokens, titleStart, found);

    TitleSpan span = TitleSpan.find(zone.text(), tokens, found.markers(), titleStart);
    String title = span == null ? null : TitleText.cleanTitle(zone.text().substring(span.start(), span.end()));
    Integer episode = found.episode();
    if (title == null) {
      BracketTitle blocks = BracketTitle.read(name);
      title = blocks.title();
      episode = episode != null ? episode : blocks.episode();
    }
    return new Parsed(title, found.year(), found.season(), episode, found.dated(), span != null && span.afterMarker(),
        tokens.strongCount());
  }
}
