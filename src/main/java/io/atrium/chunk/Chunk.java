package io.atrium.chunk;

/** A contiguous range of a document's text, small enough to embed whole; page is where it starts (PDFs). */
public record Chunk(int index, String text, Integer page, int start, int end, int tokens) {
}
