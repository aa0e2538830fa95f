package io.atrium.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TitleTextTest {

  @Test
  void invisibleCharactersBecomeSpaces() {
    assertThat(TitleText.sanitize("Evil\r\nTitle\u202e")).isEqualTo("Evil  Title ");
  }

  @Test
  void dotsAndUnderscoresAreSpacesExceptInAcronymsAndDecimals() {
    assertThat(TitleText.cleanTitle("Marvels.Agents.of.S.H.I.E.L.D.")).isEqualTo("Marvels Agents of S.H.I.E.L.D.");
    assertThat(TitleText.cleanTitle("Channel_5.1_News")).isEqualTo("Channel 5.1 News");
  }

  @Test
  void aTrailingArticleIsTurnedRoundAndATrailingCountryDropped() {
    assertThat(TitleText.cleanTitle("Simpsons,.The")).isEqualTo("The Simpsons");
    assertThat(TitleText.cleanTitle("Hells.Kitchen.US")).isEqualTo("Hells Kitchen");
  }

  @Test
  void ofACjkAndALatinTitleTheLatinOneIsKept() {
    assertThat(TitleText.cleanTitle("进击的巨人 Attack on Titan")).isEqualTo("Attack on Titan");
    assertThat(TitleText.cleanTitle("庆余年")).isEqualTo("庆余年");
  }

  @Test
  void nothingReadableIsNoTitle() {
    assertThat(TitleText.cleanTitle(" - ._ ")).isNull();
  }

  @Test
  void foldingIgnoresCaseAccentsAndPunctuation() {
    assertThat(TitleText.fold("La Science des Rêves")).isEqualTo(TitleText.fold("la.science.des.reves"));
    assertThat(TitleText.fold(null)).isEmpty();
  }
}
