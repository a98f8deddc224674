package io.jllm.tools.wiki;

import io.jllm.engine.json.Json;
import io.jllm.tools.ToolException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a search corpus: a JSONL file with one {@code {"title": ..., "text": ...}} object per line, or a folder
 * whose {@code .txt} files (searched recursively, in name order) are articles titled by their file name.
 */
final class CorpusReader {

    /** Receives the articles one at a time, so that a large corpus never sits in memory whole. */
    interface Sink {
        void accept(Article article) throws IOException;
    }

    private CorpusReader() {
    }

    /** The files that make up the corpus, in reading order; the cache key is computed over them. */
    static List<Path> files(Path corpus) throws ToolException, IOException {
        if (!Files.exists(corpus)) {
            throw new ToolException("corpus not found: " + corpus);
        }
        if (Files.isDirectory(corpus)) {
            try (Stream<Path> walk = Files.walk(corpus)) {
                return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt"))
                        .sorted()
                        .toList();
            }
        }
        if (corpus.getFileName().toString().endsWith(".jsonl")) {
            return List.of(corpus);
        }
        throw new ToolException("corpus must be a .jsonl file or a folder of .txt files: " + corpus);
    }

    static void read(Path corpus, List<Path> files, Sink sink) throws ToolException, IOException {
        if (Files.isDirectory(corpus)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                sink.accept(new Article(name.substring(0, name.length() - ".txt".length()), text(file)));
            }
        } else {
            readJsonLines(corpus, sink);
        }
    }

    private static String text(Path file) throws ToolException, IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ToolException(file + " is not UTF-8 text");
        }
    }

    private static void readJsonLines(Path file, Sink sink) throws ToolException, IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    sink.accept(article(line, file, number));
                }
            }
        } catch (CharacterCodingException e) {
            throw new ToolException(file + " is not UTF-8 text");
        }
    }

    private static Article article(String line, Path file, int number) throws ToolException {
        Map<String, Object> object;
        try {
            object = Json.parseObject(line);
        } catch (IllegalArgumentException e) {
            throw new ToolException(file.getFileName() + " line " + number + ": " + e.getMessage());
        }
        return new Article(field(object, "title", file, number), field(object, "text", file, number));
    }

    private static String field(Map<String, Object> object, String name, Path file, int number)
            throws ToolException {
        if (!(object.get(name) instanceof String value)) {
            throw new ToolException(file.getFileName() + " line " + number + ": missing string field \""
                    + name + "\"");
        }
        return value;
    }
}
