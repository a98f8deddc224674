package io.jllm.tools.wiki;

/** One corpus entry: a JSONL line's {@code title} and {@code text}, or a .txt file's name and content. */
record Article(String title, String text) {
}
