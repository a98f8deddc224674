package io.jllm.tools.wiki;

import io.jllm.tools.ToolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WikiSearchTest {

    @TempDir
    Path scratch;

    private final List<WikiSearch> opened = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (WikiSearch search : opened) {
            search.close();
        }
    }

    private WikiSearch search(Path corpus) {
        WikiSearch search = new WikiSearch(corpus, scratch.resolve("cache"));
        opened.add(search);
        return search;
    }

    private Path jsonl() {
        return TestCorpus.copy("corpus.jsonl", scratch);
    }

    @Test
    void answersWithTheBestPassageOfTheJsonlCorpus() throws ToolException {
        WikiSearch search = search(jsonl());

        assertThat(search.call("Brown Act")).isEqualTo("The Ralph M. Brown Act is an act of the California State "
                + "Legislature that guarantees the public's right to attend and participate in meetings of local "
                + "legislative bodies. It was passed in 1953.");
        assertThat(search.call("Who built the first printing press with movable type?"))
                .startsWith("Johannes Gutenberg built a printing press");
        assertThat(search.call("tallest penguin")).startsWith("The emperor penguin is the tallest");
    }

    @Test
    void stripsTheQuotesModelsPutAroundQueries() throws ToolException {
        assertThat(search(jsonl()).call("\"Kilimanjaro\"")).startsWith("Mount Kilimanjaro is a dormant volcano");
    }

    @Test
    void stemsWordsSoInflectedFormsMatch() throws ToolException {
        assertThat(search(jsonl()).call("forage dancing bee")).startsWith("Honey bees live in colonies");
    }

    @Test
    void answersWithTheMatchingPassageOfALongArticleNotItsBeginning() throws ToolException {
        String passage = search(jsonl()).call("Curie ambulances X-ray");

        assertThat(passage).startsWith("She was the first person to win Nobel Prizes in two sciences.")
                .contains("little Curies")
                .doesNotContain("Warsaw");
    }

    @Test
    void rareQueryWordsOutweighCommonOnes() throws ToolException {
        // "sea" is in four articles, "Titan" in one: BM25's inverse document frequency must prefer Saturn.
        assertThat(search(jsonl()).call("sea Titan")).startsWith("Saturn is the sixth planet");
    }

    @Test
    void searchesAFolderOfTextFilesTitledByFileName() throws ToolException {
        WikiSearch search = search(TestCorpus.copy("folder", scratch));

        assertThat(search.call("capital cities on the Danube")).startsWith("The Danube flows from the Black Forest");
        assertThat(search.call("Sourdough")).startsWith("Sourdough bread rises with wild yeast");
        assertThat(search.call("Pharos")).startsWith("Lighthouses guide ships");
        assertThatThrownBy(() -> search.call("ignored")).hasMessage("no passage matches 'ignored'");
    }

    @Test
    void cutsLongAnswersAtAWordBoundary() throws ToolException {
        WikiSearch search = new WikiSearch(jsonl(), scratch.resolve("cache"), 40);
        opened.add(search);

        assertThat(search.call("Brown Act")).isEqualTo("The Ralph M. Brown Act is an act of the…");
    }

    @Test
    void reportsNoHitEmptyQueryAndMissingCorpusClearly() {
        WikiSearch search = search(jsonl());
        assertThatThrownBy(() -> search.call("zeppelin")).hasMessage("no passage matches 'zeppelin'");
        assertThatThrownBy(() -> search.call("the of and")).hasMessage("no passage matches 'the of and'");
        assertThatThrownBy(() -> search.call("  \"\" ")).hasMessage("empty query");

        Path missing = scratch.resolve("missing.jsonl");
        assertThatThrownBy(() -> search(missing).call("Rhine")).hasMessage("corpus not found: " + missing);
        assertThatThrownBy(() -> new WikiSearch(null, scratch).call("Rhine"))
                .hasMessage("no search corpus configured");
    }

    @Test
    void queriesWithLuceneSyntaxAreSearchedAsPlainWords() throws ToolException {
        assertThat(search(jsonl()).call("Rhine AND (river OR \"North Sea\") title:* ~2 ^3 [a TO b]"))
                .startsWith("The Rhine is a river");
    }

    @Test
    void queriesTooLongForTheSearcherAreRefused() {
        WikiSearch search = search(jsonl());
        assertThatThrownBy(() -> search.call("Rhine-" + "river-".repeat(1500)))
                .hasMessage("query has too many words");
        assertThatThrownBy(() -> search.call("river ".repeat(1500)))
                .hasMessage("query has too many words");
    }

    @Test
    void anEmptyCorpusIsAnError() throws IOException {
        Path empty = Files.writeString(scratch.resolve("empty.jsonl"), "\n  \n");
        assertThatThrownBy(() -> search(empty).call("anything")).hasMessage("corpus holds no text: " + empty);

        Path emptyFolder = Files.createDirectories(scratch.resolve("nothing"));
        Files.writeString(emptyFolder.resolve("readme.md"), "not a .txt file");
        assertThatThrownBy(() -> search(emptyFolder).call("anything"))
                .hasMessage("corpus holds no text: " + emptyFolder);
    }

    @Test
    void badCorpusFilesAreReportedWithTheLine() throws IOException {
        Path broken = Files.writeString(scratch.resolve("broken.jsonl"),
                "{\"title\": \"A\", \"text\": \"fine\"}\n{\"title\": \"B\", \"text\": \n");
        assertThatThrownBy(() -> search(broken).call("fine"))
                .hasMessageStartingWith("broken.jsonl line 2: invalid JSON at offset");

        Path untitled = Files.writeString(scratch.resolve("untitled.jsonl"), "{\"text\": \"no title\"}\n");
        assertThatThrownBy(() -> search(untitled).call("title"))
                .hasMessage("untitled.jsonl line 1: missing string field \"title\"");

        Path csv = Files.writeString(scratch.resolve("corpus.csv"), "title,text\n");
        assertThatThrownBy(() -> search(csv).call("title"))
                .hasMessage("corpus must be a .jsonl file or a folder of .txt files: " + csv);
    }

    @Test
    void aFailedIndexingIsRetriedOnTheNextCall() throws IOException, ToolException {
        Path corpus = Files.writeString(scratch.resolve("later.jsonl"), "");
        WikiSearch search = search(corpus);
        assertThatThrownBy(() -> search.call("Rhine")).hasMessageStartingWith("corpus holds no text");

        Files.writeString(corpus, "{\"title\": \"Rhine\", \"text\": \"The Rhine flows to the North Sea.\"}\n");
        assertThat(search.call("Rhine")).isEqualTo("The Rhine flows to the North Sea.");
    }
}
