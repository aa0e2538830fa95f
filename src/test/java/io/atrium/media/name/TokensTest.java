package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {

  private static List<String> tags(String zone) {
    return Tokens.read(zone).list().stream().filter(Tokens.Token::tag).map(Tokens.Token::text).toList();
  }

  @Test
  void tokensAreRunsOfLettersAndDigits() {
    assertThat(Tokens.read("Le.Café_2019 - 进击").list()).extracting(Tokens.Token::text)
        .containsExactly("Le", "Café", "2019", "进击");
  }

  @Test
  void strongTagsAreTagsAlsoWhenWrittenAcrossASeparator() {
    assertThat(tags("Title.1080p.WEB-DL.H.264-Group")).containsExactly("1080p", "WEB", "DL", "H", "264");
    assertThat(Tokens.read("Title.1080p.WEB-DL").strongCount()).isEqualTo(3);
  }

  @Test
  void aWeakTagIsATagOnlyWhenItLeadsToAStrongOne() {
    assertThat(tags("Title.FRENCH.EXTENDED.DVDRip")).containsExactly("FRENCH", "EXTENDED", "DVDRip");
    assertThat(tags("The.Final.Countdown")).isEmpty();
  }

  @Test
  void aLanguageWordBeforeAYearIsATag() {
    assertThat(tags("Title.French.2019")).containsExactly("French");
    assertThat(tags("Title.Final.2019")).isEmpty();
  }

  @Test
  void theTitleStartsPastStrongTagsThatOpenTheName() {
    Tokens tokens = Tokens.read("h265 - HEVC Riddick");
    assertThat(tokens.titleStart(Markers.NONE)).isEqualTo("h265 - HEVC ".length());
    assertThat(tokens.firstTagAfter(0)).isEqualTo("h265 - ".length());
  }
}
