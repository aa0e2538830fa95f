package io.atrium.media;

/** What a file name says. type is "movie" or "episode"; nulls where the name does not say. */
public record Recognition(String type, String title, Integer year, Integer season, Integer episode, Long tmdbId) {
}
