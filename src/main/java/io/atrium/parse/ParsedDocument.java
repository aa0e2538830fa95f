package io.atrium.parse;

import io.atrium.chunk.Block;
import java.util.List;

/** What a parser got out of a file: its text, the structural blocks of that text, and its detected type. */
public record ParsedDocument(String text, List<Block> blocks, String contentType, int pages) {
}
