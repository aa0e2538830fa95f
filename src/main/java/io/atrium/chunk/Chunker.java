package io.atrium.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Structure-aware chunking. A heading always starts a new chunk; paragraphs are packed whole while they fit;
 * a long paragraph is cut at sentence ends (. ! ? and 。！？；, so Chinese without spaces is cut too), and a sentence
 * longer than a chunk is cut by size. Consecutive chunks share up to {@code overlapTokens} of trailing sentences,
 * but a chunk never begins with a bare copy of the previous heading.
 */
public final class Chunker {
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|(?<=[。！？；!?])|\\n+");

  private final int maxTokens;
  private final int overlapTokens;

  public Chunker(int maxTokens, int overlapTokens) {
    if (maxTokens < 16) {
      throw new IllegalArgumentException("chunk size must be at least 16 tokens");
    }
    this.maxTokens = maxTokens;
    this.overlapTokens = Math.max(0, Math.min(overlapTokens, maxTokens / 2));
  }

  public List<Chunk> split(String text, List<Block> blocks) {
    List<Chunk> chunks = new ArrayList<>();
    List<Piece> current = new ArrayList<>();
    int currentTokens = 0;
    for (Block block : blocks) {
      if (block.heading() && hasBody(current)) {
        emit(text, current, chunks);
        current.clear();
        currentTokens = 0;
      }
      for (Piece piece : pieces(text, block)) {
        if (currentTokens + piece.tokens() > maxTokens && hasBody(current)) {
          emit(text, current, chunks);
          List<Piece> tail = overlapTail(current);
          current.clear();
          current.addAll(tail);
          currentTokens = tail.stream().mapToInt(Piece::tokens).sum();
        }
        current.add(piece);
        currentTokens += piece.tokens();
      }
    }
    emit(text, current, chunks);
    return chunks;
  }

  private static boolean hasBody(List<Piece> pieces) {
    return pieces.stream().anyMatch(p -> !p.heading());
  }

  private List<Piece> overlapTail(List<Piece> pieces) {
    List<Piece> tail = new ArrayList<>();
    int tokens = 0;
    for (int i = pieces.size() - 1; i > 0; i--) {
      Piece piece = pieces.get(i);
      if (piece.heading() || tokens + piece.tokens() > overlapTokens) {
        break;
      }
      tail.addFirst(piece);
      tokens += piece.tokens();
    }
    return tail;
  }

  private static void emit(String text, List<Piece> pieces, List<Chunk> chunks) {
    if (pieces.isEmpty()) {
      return;
    }
    int start = pieces.getFirst().start();
    int end = pieces.getLast().end();
    String body = text.substring(start, end).strip();
    if (body.isEmpty()) {
      return;
    }
    int tokens = pieces.stream().mapToInt(Piece::tokens).sum();
    chunks.add(new Chunk(chunks.size(), body, pieces.getFirst().page(), start, end, tokens));
  }

  /** Sentences of a block, each at most maxTokens (over-long ones cut by size). */
  private List<Piece> pieces(String text, Block block) {
    List<Piece> pieces = new ArrayList<>();
    Matcher matcher = SENTENCE_END.matcher(text).region(block.start(), block.end());
    int sentenceStart = block.start();
    while (matcher.find()) {
      addSentence(text, sentenceStart, matcher.start(), block, pieces);
      sentenceStart = matcher.end();
    }
    addSentence(text, sentenceStart, block.end(), block, pieces);
    return pieces;
  }

  private void addSentence(String text, int start, int end, Block block, List<Piece> pieces) {
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    if (start >= end) {
      return;
    }
    int tokens = TokenEstimate.of(text, start, end);
    if (tokens <= maxTokens) {
      pieces.add(new Piece(start, end, tokens, block.page(), block.heading()));
      return;
    }
    // Cut proportionally by characters, preferring a space near the cut.
    int cuts = (tokens + maxTokens - 1) / maxTokens;
    int step = Math.max(1, (end - start) / cuts);
    int from = start;
    while (from < end) {
      int to = Math.min(end, from + step);
      int space = text.lastIndexOf(' ', to);
      if (to < end && space > from + step / 2) {
        to = space;
      }
      if (Character.isHighSurrogate(text.charAt(to - 1)) && to < end) {
        to++;
      }
      pieces.add(new Piece(from, to, TokenEstimate.of(text, from, to), block.page(), block.heading()));
      from = to;
    }
  }

  private record Piece(int start, int end, int tokens, Integer page, boolean heading) {
  }
}
