package io.atrium.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FilenameParserTest {

  private static Recognition movie(String title, Integer year) {
    return new Recognition("movie", title, year, null, null, null);
  }

  private static Recognition episode(String title, Integer season, Integer episode) {
    return new Recognition("episode", title, null, season, episode, null);
  }

  @Test
  void sceneMovieKeepsTitleAndYearAndDropsTheReleaseTags() {
    assertThat(FilenameParser.parse("The.Rum.Diary.2011.1080p.BluRay.DTS.x264-D-Z0N3.mkv"))
        .isEqualTo(movie("The Rum Diary", 2011));
    assertThat(FilenameParser.parse("Hacksaw Ridge 2016 Multi 2160p UHD BluRay Hevc10 HDR10 DTSHD & ATMOS 7.1 -DDR.mkv"))
        .isEqualTo(movie("Hacksaw Ridge", 2016));
    assertThat(FilenameParser.parse("Suicide Squad EXTENDED (2016) 2160p 4K UltraHD Blu-Ray x265 (HEVC 10bit BT709)"))
        .isEqualTo(movie("Suicide Squad", 2016));
  }

  @Test
  void aYearThatIsTheTitleStaysInTheTitle() {
    assertThat(FilenameParser.parse("2012.2009.720p.BluRay.x264.DTS-WiKi.mkv")).isEqualTo(movie("2012", 2009));
    assertThat(FilenameParser.parse("1917 (2019).mkv")).isEqualTo(movie("1917", 2019));
    assertThat(FilenameParser.parse("Blade.Runner.2049.2017.1080p.BluRay.x264.mkv")).isEqualTo(movie("Blade Runner 2049", 2017));
  }

  @Test
  void titleKeepsItsCaseAndAcronymsAndOnlyLosesSeparators() {
    assertThat(FilenameParser.parse("Marvels.Agents.of.S.H.I.E.L.D.S01E06.720p.HDTV.X264-DIMENSION.mkv").title())
        .isEqualTo("Marvels Agents of S.H.I.E.L.D.");
    assertThat(FilenameParser.parse("Dr.Seuss.The.Lorax.2012.DVDRip.XviD.AC3-CM8.mp4").title()).isEqualTo("Dr Seuss The Lorax");
    assertThat(FilenameParser.parse("Simpsons,.The.12x08.A.Bas.Le.Sergent.Skinner.FR.avi").title()).isEqualTo("The Simpsons");
  }

  @Test
  void sceneEpisodeGivesSeasonAndFirstEpisode() {
    assertThat(FilenameParser.parse("Sons.of.Anarchy.S05E06.720p.WEB.DL.DD5.1.H.264-CtrlHD.mkv"))
        .isEqualTo(episode("Sons of Anarchy", 5, 6));
    assertThat(FilenameParser.parse("wheels.s03e01e02.720p.hdtv.x264-immerse.mkv")).isEqualTo(episode("wheels", 3, 1));
    assertThat(FilenameParser.parse("Show Name - S01E02-03 - My Ep Name.mkv")).isEqualTo(episode("Show Name", 1, 2));
  }

  @Test
  void seasonByEpisodeNotation() {
    assertThat(FilenameParser.parse("Californication.2x05.Vaginatown.HDTV.XviD-0TV.avi"))
        .isEqualTo(episode("Californication", 2, 5));
    assertThat(FilenameParser.parse("The Sopranos - [05x07] - In Camelot.mp4")).isEqualTo(episode("The Sopranos", 5, 7));
  }

  @Test
  void episodeWordsInSeveralLanguages() {
    assertThat(FilenameParser.parse("One.Piece.E576.VOSTFR.720p.HDTV.x264-MARINE-FORD.mkv")).isEqualTo(episode("One Piece", null, 576));
    assertThat(FilenameParser.parse("Show.Name.EP15.1080p.WEB-DL.mkv")).isEqualTo(episode("Show Name", null, 15));
    assertThat(FilenameParser.parse("Show Name Season 1 Episode 2 Ep Name.mkv")).isEqualTo(episode("Show Name", 1, 2));
    assertThat(FilenameParser.parse("庆余年 第2季 第05集 4K.mp4")).isEqualTo(episode("庆余年", 2, 5));
  }

  @Test
  void threeDigitNumbersAreSeasonAndEpisodeOutsideAnime() {
    assertThat(FilenameParser.parse("new.girl.117.hdtv-lol.mp4")).isEqualTo(episode("new girl", 1, 17));
    assertThat(FilenameParser.parse("the.100.109.hdtv-lol.mp4")).isEqualTo(episode("the 100", 1, 9));
  }

  @Test
  void animeAbsoluteNumbersHaveNoSeason() {
    assertThat(FilenameParser.parse("[SubsPlease] Show Name - 15 [1080p].mkv")).isEqualTo(episode("Show Name", null, 15));
    assertThat(FilenameParser.parse("[Kaerizaki-Fansub]_One_Piece_679_[VOSTFR][HD_1280x720].mp4"))
        .isEqualTo(episode("One Piece", null, 679));
    assertThat(FilenameParser.parse("[HorribleSubs] Garo - Vanishing Line - 01 [1080p].mkv")).isEqualTo(episode("Garo", null, 1));
    assertThat(FilenameParser.parse("[DeadFish] 12 - Tari Tari [BD][720p][AAC].mp4")).isEqualTo(episode("Tari Tari", null, 12));
  }

  @Test
  void chineseFansubNamesPreferTheLatinTitleWhenBothArePresent() {
    assertThat(FilenameParser.parse("[字幕组] 进击的巨人 Attack on Titan - 01 [1080p].mp4"))
        .isEqualTo(episode("Attack on Titan", null, 1));
    assertThat(FilenameParser.parse("流浪地球.The.Wandering.Earth.2019.1080p.BluRay.x264.mkv"))
        .isEqualTo(movie("The Wandering Earth", 2019));
  }

  @Test
  void chineseNamesMadeOfBracketsUseTheTitleBlock() {
    assertThat(FilenameParser.parse("[SweetSub][进击的巨人][01][1080P][CHS].mp4")).isEqualTo(episode("进击的巨人", null, 1));
    assertThat(FilenameParser.parse("[SweetSub][进击的巨人][Shingeki no Kyojin][02][1080P][简日双语].mp4"))
        .isEqualTo(episode("Shingeki no Kyojin", null, 2));
  }

  @Test
  void seasonFolderAndShowFolderFillWhatTheFileNameLacks() {
    assertThat(FilenameParser.parse("Show Name/Season 2/03.mkv")).isEqualTo(episode("Show Name", 2, 3));
    assertThat(FilenameParser.parse("Doctor Who/Season 06/E13 - The Wedding of River Song.mkv"))
        .isEqualTo(episode("Doctor Who", 6, 13));
  }

  @Test
  void titleYearFolderNamesTheMovie() {
    assertThat(FilenameParser.parse("Movies/Blade Runner (1982)/br-dc-1080p.mkv")).isEqualTo(movie("Blade Runner", 1982));
    assertThat(FilenameParser.parse("Movies/La Science des Rêves (2006)/La.Science.Des.Reves.FRENCH.DVDRip.XviD.avi"))
        .isEqualTo(movie("La Science des Rêves", 2006));
  }

  @Test
  void releaseFolderStandsInForAnObfuscatedFileName() {
    assertThat(FilenameParser.parse("Hells.Kitchen.US.S17E08.1080p.HEVC.x265-MeGusta/c48db7d2aeb040e8a920a9fd6effcbf4.mkv"))
        .isEqualTo(episode("Hells Kitchen", 17, 8));
    assertThat(FilenameParser.parse("Movies/Alice in Wonderland DVDRip.XviD-DiAMOND/dmd-aw.avi"))
        .isEqualTo(movie("Alice in Wonderland", null));
  }

  @Test
  void explicitTmdbIdsAreReadFromFileOrFolderAndKeptOutOfTheTitle() {
    assertThat(FilenameParser.parse("The Matrix (1999) [tmdbid-603].mkv"))
        .isEqualTo(new Recognition("movie", "The Matrix", 1999, null, null, 603L));
    assertThat(FilenameParser.parse("Movies/The Matrix (1999) {tmdb-603}/The.Matrix.1999.1080p.BluRay.x264.mkv"))
        .isEqualTo(new Recognition("movie", "The Matrix", 1999, null, null, 603L));
    assertThat(FilenameParser.parse("The Matrix [tmdb=603].mkv").tmdbId()).isEqualTo(603L);
    assertThat(FilenameParser.parse("Shows/Severance tmdbid=95396/Season 1/Severance.S01E02.mkv"))
        .isEqualTo(new Recognition("episode", "Severance", null, 1, 2, 95396L));
  }

  @Test
  void dateBasedEpisodesAreEpisodesWithoutNumbers() {
    assertThat(FilenameParser.parse("The.Daily.Show.2015.07.22.Jake.Gyllenhaal.720p.HDTV.x264-BATV.mkv"))
        .isEqualTo(episode("The Daily Show", null, null));
  }

  @Test
  void hostileNamesGiveARecognitionAndNeverThrow() {
    assertThat(FilenameParser.parse("../../etc/passwd.mkv")).isEqualTo(movie("passwd", null));
    assertThat(FilenameParser.parse("")).isEqualTo(movie(null, null));
    assertThat(FilenameParser.parse(null)).isEqualTo(movie(null, null));
    assertThat(FilenameParser.parse("Show.Name.S01E02\n\u0000\u202e.mkv")).isEqualTo(episode("Show Name", 1, 2));
    assertThat(FilenameParser.parse("Evil\r\nTitle\t2019.mkv")).isEqualTo(movie("Evil Title", 2019));
    String longName = "A".repeat(300) + ".mkv";
    assertThat(FilenameParser.parse(longName).title()).hasSizeLessThanOrEqualTo(200);
    for (String hostile : new String[] {"////", "[[[[((((", "-.-.-", ".mkv", "\uD800\uDC00\uD800.mkv", "第第第季集"}) {
      assertThatCode(() -> assertThat(FilenameParser.parse(hostile)).isNotNull()).doesNotThrowAnyException();
    }
  }

  @Test
  void pathologicalInputStaysFast() {
    String brackets = "[".repeat(5000) + "Title" + "-".repeat(5000) + "(".repeat(5000) + "1".repeat(5000);
    long start = System.nanoTime();
    assertThat(FilenameParser.parse(brackets)).isNotNull();
    assertThat(FilenameParser.parse("a.".repeat(20_000) + "S01E02")).isNotNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }
}
