package io.jllm.tools.wiki;

import io.jllm.tools.Tool;
import io.jllm.tools.ToolArguments;
import io.jllm.tools.ToolException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Toolformer's Wikipedia search over a local corpus: answers with the passage (a few sentences) that scores
 * best under BM25 for the query, white space collapsed and cut at a word boundary to a maximum length.
 * The corpus is a JSONL file of {@code {"title": ..., "text": ...}} lines or a folder of {@code .txt} files;
 * its Lucene index is built on the first call and cached under the cache folder for later runs.
 */
public final class WikiSearch implements Tool, Closeable {

    public static final int DEFAULT_MAX_CHARS = 500;
    private static final String ELLIPSIS = "…";

    private final Path corpus;
    private final Path cacheDir;
    private final int maxChars;
    private WikiIndex index;

    /**
     * @param corpus   the JSONL file or .txt folder to search; null when none is configured (calls then say so)
     * @param cacheDir where indexes are kept, one subfolder per corpus version
     * @param maxChars the longest answer, at least 10 characters
     */
    public WikiSearch(Path corpus, Path cacheDir, int maxChars) {
        if (maxChars < 10) {
            throw new IllegalArgumentException("maxChars must be at least 10, got " + maxChars);
        }
        this.corpus = corpus;
        this.cacheDir = cacheDir;
        this.maxChars = maxChars;
    }

    public WikiSearch(Path corpus, Path cacheDir) {
        this(corpus, cacheDir, DEFAULT_MAX_CHARS);
    }

    @Override
    public String name() {
        return "WikiSearch";
    }

    @Override
    public String description() {
        return "the best-matching passage of the local corpus (BM25)";
    }

    @Override
    public String syntax() {
        return """
                WikiSearch(Brown Act)
                WikiSearch("Who built the first printing press?")""";
    }

    @Override
    public String call(String arguments) throws ToolException {
        String query = ToolArguments.unquote(arguments);
        if (query.isEmpty()) {
            throw new ToolException("empty query");
        }
        try {
            Optional<String> passage = index().best(query);
            if (passage.isEmpty()) {
                throw new ToolException("no passage matches '" + query + "'");
            }
            return trim(passage.get());
        } catch (IOException e) {
            throw new ToolException("cannot read the search index: " + e.getMessage(), e);
        }
    }

    /**
     * Opens (building it if needed) the index now rather than on the first call, so that a caller with a
     * call timeout can pay for indexing up front.
     */
    public synchronized void open() throws ToolException {
        index();
    }

    @Override
    public synchronized void close() throws IOException {
        if (index != null) {
            index.close();
            index = null;
        }
    }

    private synchronized WikiIndex index() throws ToolException {
        if (index == null) {
            if (corpus == null) {
                throw new ToolException("no search corpus configured");
            }
            try {
                index = WikiIndex.openOrBuild(corpus, cacheDir);
            } catch (IOException e) {
                throw new ToolException("cannot index " + corpus + ": " + e.getMessage(), e);
            }
        }
        return index;
    }

    private String trim(String passage) {
        String text = Passages.normalize(passage);
        if (text.length() <= maxChars) {
            return text;
        }
        int limit = maxChars - ELLIPSIS.length();
        int cut = text.lastIndexOf(' ', limit);
        return text.substring(0, cut > limit / 2 ? cut : limit).strip() + ELLIPSIS;
    }
}
