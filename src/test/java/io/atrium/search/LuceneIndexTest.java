package io.atrium.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The derived Lucene index: replaces are idempotent, commits remember their seq, and a broken index starts empty. */
class LuceneIndexTest {
  @TempDir
  Path dir;

  @Test
  void replacingAResourceTwiceLeavesOneCopyAndTheCommitRemembersItsSeq() throws IOException {
    try (LuceneIndex index = LuceneIndex.open(dir)) {
      assertThat(index.appliedSeq()).isEqualTo(-1);
      List<LuceneIndex.ChunkDoc> chunks = List.of(doc(1, 7, "zebra stripes"), doc(2, 7, "zebra herd"));
      index.replace(7, chunks);
      index.replace(7, chunks);
      index.replace(8, List.of(doc(3, 8, "a lone zebra")));
      index.commit(42, null);
      index.refresh();
      assertThat(index.documents()).isEqualTo(3);
      assertThat(ids(index.search(index.terms("zebras"), Set.of(8L), 10))).containsExactly(3L);
      index.replace(7, List.of());
      index.refresh();
      assertThat(ids(index.search(index.terms("zebra"), null, 10))).containsExactly(3L);
    }
    try (LuceneIndex reopened = LuceneIndex.open(dir)) {
      assertThat(reopened.appliedSeq()).isEqualTo(42);
    }
  }

  @Test
  void aSecondWriterIsRefusedAndNeverWipesTheIndexInUse() throws IOException {
    try (LuceneIndex index = LuceneIndex.open(dir)) {
      index.replace(1, List.of(doc(1, 1, "okapi")));
      index.commit(1, null);
      assertThatThrownBy(() -> LuceneIndex.open(dir)).isInstanceOf(IOException.class).hasMessageContaining("in use");
      index.refresh();
      assertThat(index.documents()).isEqualTo(1);
    }
  }

  @Test
  void anUnreadableIndexStartsEmptyForARebuild() throws IOException {
    try (LuceneIndex index = LuceneIndex.open(dir)) {
      index.replace(1, List.of(doc(1, 1, "okapi")));
      index.commit(9, null);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path segments : files.filter(f -> f.getFileName().toString().startsWith("segments")).toList()) {
        Files.writeString(segments, "torn");
      }
    }
    try (LuceneIndex index = LuceneIndex.open(dir)) {
      assertThat(index.appliedSeq()).isEqualTo(-1);
      assertThat(index.documents()).isZero();
    }
  }

  private static LuceneIndex.ChunkDoc doc(long chunkId, long resourceId, String text) {
    return new LuceneIndex.ChunkDoc(chunkId, resourceId, text, null);
  }

  private static List<Long> ids(List<Fusion.Scored> hits) {
    return hits.stream().map(Fusion.Scored::chunkId).toList();
  }
}
