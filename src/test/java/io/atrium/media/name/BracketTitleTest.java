package io.atrium.media.name;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BracketTitleTest {

  @Test
  void theGroupAndTagBlocksAreSkippedAndTheNumberIsTheEpisode() {
    assertThat(BracketTitle.read("[SweetSub][进击的巨人][01][1080P][CHS]")).isEqualTo(new BracketTitle("进击的巨人", 1));
  }

  @Test
  void aLatinTitleIsPreferred() {
    assertThat(BracketTitle.read("[SweetSub][进击的巨人][Shingeki no Kyojin][02][1080P][简日双语]"))
        .isEqualTo(new BracketTitle("Shingeki no Kyojin", 2));
  }

  @Test
  void episodeBlocksInChineseOrWordsAreRead() {
    assertThat(BracketTitle.read("[Group][Title][第03话]").episode()).isEqualTo(3);
    assertThat(BracketTitle.read("[Group][Title][EP04][05]").episode()).isEqualTo(4);
  }

  @Test
  void noBlocksNoTitle() {
    assertThat(BracketTitle.read("Plain name")).isEqualTo(new BracketTitle(null, null));
  }
}
