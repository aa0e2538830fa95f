package io.atrium.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkerAndMatcherTest {
  private final Path library = Path.of("/srv/library");
  private final Linker linker = new Linker(library, "Movies/{title} ({year})/{title} ({year})",
      "Shows/{title} ({year})/Season {season:02}/{title} S{season:02}E{episode:02}", Set.of("srt"));

  @Test
  void templatesRenderTheJellyfinLayout() {
    assertThat(linker.target("Fight Club", 1999, false, null, null))
        .isEqualTo(library.resolve("Movies/Fight Club (1999)/Fight Club (1999)"));
    assertThat(linker.target("Breaking Bad", 2008, true, 1, 2))
        .isEqualTo(library.resolve("Shows/Breaking Bad (2008)/Season 01/Breaking Bad S01E02"));
    assertThat(linker.target("Untitled", null, false, null, null)).isEqualTo(library.resolve("Movies/Untitled/Untitled"));
  }

  @Test
  void hostileTitlesCannotLeaveTheLibrary() {
    for (String title : new String[] {"../../etc/passwd", "..", "a/../../b", "x\ny\u0000z", "C:\\Windows\\system32", "x".repeat(400)}) {
      Path target = linker.target(title, 2000, false, null, null);
      assertThat(target.normalize().startsWith(library)).as(title).isTrue();
      assertThat(target.getFileName().toString()).doesNotContain("/", "\\", "\n", "\u0000");
      assertThat(target.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(180);
    }
    assertThatThrownBy(() -> new Linker(library, "../{title}", "{title}", Set.of()).target("..", null, false, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theExactTitleAndYearWinAndASequelNumberOrAWrongYearIsNoMatch() {
    JsonArray results = new JsonArray()
        .add(new JsonObject().put("id", 289732).put("title", "Zombie Fight Club").put("release_date", "2014-10-23").put("popularity", 15.2))
        .add(new JsonObject().put("id", 550).put("title", "Fight Club").put("release_date", "1999-10-15").put("popularity", 73.4));
    TmdbMatcher matcher = new TmdbMatcher(0.6);
    assertThat(matcher.best(results, "Fight Club", 1999, false).tmdbId()).isEqualTo(550);
    assertThat(matcher.best(results, "fight club", null, false).tmdbId()).isEqualTo(550);
    assertThat(matcher.best(results, "Fight Club 2", null, false)).isNull();
    assertThat(matcher.best(results, "Fight Club", 2031, false)).isNull();
    assertThat(matcher.best(results, "Something Else Entirely", 1999, false)).isNull();
  }

  @Test
  void explicitIdsAreFoundInTheFileOrAnyFolder() {
    assertThat(FilenameParser.parse("Riddick (2013) [tmdbid-87421]/riddick.mkv").tmdbId()).isEqualTo(87421L);
    assertThat(FilenameParser.parse("Movie {tmdb-603}.mkv").tmdbId()).isEqualTo(603L);
    assertThat(FilenameParser.parse("Show [tmdb=1396]/Season 1/e01.mkv").tmdbId()).isEqualTo(1396L);
    assertThat(FilenameParser.parse("Some.Movie.2010.1080p.mkv").tmdbId()).isNull();
  }

  @Test
  void theModelsRecognitionIsValidated() {
    assertThat(Recognizer.parse("{\"type\": \"tv\", \"title\": \"Breaking Bad\", \"season\": 1, \"episode\": \"2\"}"))
        .isEqualTo(new Recognition("episode", "Breaking Bad", null, 1, 2, null));
    assertThatThrownBy(() -> Recognizer.parse("{\"type\": \"song\", \"title\": \"x\"}")).hasMessageContaining("type");
    assertThatThrownBy(() -> Recognizer.parse("{\"type\": \"movie\", \"title\": \"\"}")).hasMessageContaining("title");
    assertThatThrownBy(() -> Recognizer.parse("I think it is Fight Club")).hasMessageContaining("JSON");
  }
}
