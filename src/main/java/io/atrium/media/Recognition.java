package io.atrium.media;

/** What a file name says. type is "movie" or "episode"; nulls where the name does not say. */
public record Recognition(String type, String title, Integer year, Integer season, Integer episode, Long tmdbId) {
  /** The type of a name that says nothing about episodes. */
  public static final String MOVIE = "movie";
  /** The type of a name with a season, an episode or an air date. */
  public static final String EPISODE = "episode";
}
