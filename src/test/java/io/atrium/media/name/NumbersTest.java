package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumbersTest {

  @Test
  void seasonsAreDigitsWordsOrRomanNumerals() {
    assertThat(Numbers.season("02")).isEqualTo(2);
    assertThat(Numbers.season("Deux")).isEqualTo(2);
    assertThat(Numbers.season("IV")).isEqualTo(4);
    assertThat(Numbers.season("xii")).isEqualTo(12);
  }

  @Test
  void chineseNumeralsAreRead() {
    assertThat(Numbers.chinese("五")).isEqualTo(5);
    assertThat(Numbers.chinese("十二")).isEqualTo(12);
    assertThat(Numbers.chinese("二十")).isEqualTo(20);
    assertThat(Numbers.chinese("105")).isEqualTo(105);
  }

  @Test
  void threeDigitsAreSeasonAndEpisodeUnlessNumberingIsAbsolute() {
    assertThat(Numbers.Episode.of("117", false)).isEqualTo(new Numbers.Episode(1, 17));
    assertThat(Numbers.Episode.of("117", true)).isEqualTo(new Numbers.Episode(null, 117));
    assertThat(Numbers.Episode.of("003", false)).isEqualTo(new Numbers.Episode(null, 3));
  }

  @Test
  void zeroPaddedFourDigitsAreAlwaysSeasonAndEpisode() {
    assertThat(Numbers.Episode.of("0307", true)).isEqualTo(new Numbers.Episode(3, 7));
    assertThat(Numbers.Episode.of("1234", false)).isEqualTo(new Numbers.Episode(null, 1234));
  }

  @Test
  void yearsAreFourDigitsOfThisCenturyOrTheLast() {
    assertThat(Numbers.isYear("1999")).isTrue();
    assertThat(Numbers.isYear("2049")).isTrue();
    assertThat(Numbers.isYear("1899")).isFalse();
    assertThat(Numbers.isYear("199")).isFalse();
  }
}
