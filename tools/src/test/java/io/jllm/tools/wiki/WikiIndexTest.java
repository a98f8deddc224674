package io.jllm.tools.wiki;

import io.jllm.tools.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WikiIndexTest {

    @TempDir
    Path scratch;

    @Test
    void indexesEveryPassageOnceAndReopensTheCacheOnTheNextRun() throws ToolException, IOException {
        Path corpus = TestCorpus.copy("corpus.jsonl", scratch);
        Path cache = scratch.resolve("cache");

        Path location;
        try (WikiIndex first = WikiIndex.openOrBuild(corpus, cache)) {
            assertThat(first.freshlyBuilt()).isTrue();
            // twelve articles; Marie Curie's six sentences make two passages
            assertThat(first.passageCount()).isEqualTo(13);
            location = first.location();
        }
        try (WikiIndex second = WikiIndex.openOrBuild(corpus, cache)) {
            assertThat(second.freshlyBuilt()).isFalse();
            assertThat(second.location()).isEqualTo(location);
            assertThat(second.best("Rhine")).hasValueSatisfying(p -> assertThat(p).startsWith("The Rhine"));
        }
        assertThat(entries(cache)).containsExactly(location.getFileName().toString());
    }

    @Test
    void rebuildsWhenTheCorpusChangesAndDropsTheStaleIndex() throws ToolException, IOException {
        Path corpus = TestCorpus.copy("corpus.jsonl", scratch);
        Path cache = scratch.resolve("cache");
        Path old;
        try (WikiIndex first = WikiIndex.openOrBuild(corpus, cache)) {
            old = first.location();
        }

        Files.writeString(corpus, "{\"title\": \"Zeppelin\", \"text\": \"A zeppelin is a rigid airship.\"}\n");
        Files.setLastModifiedTime(corpus, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

        try (WikiIndex changed = WikiIndex.openOrBuild(corpus, cache)) {
            assertThat(changed.freshlyBuilt()).isTrue();
            assertThat(changed.location()).isNotEqualTo(old);
            assertThat(changed.passageCount()).isEqualTo(1);
            assertThat(changed.best("airship")).hasValue("A zeppelin is a rigid airship.");
            assertThat(entries(cache)).containsExactly(changed.location().getFileName().toString());
        }
    }

    @Test
    void aFolderCorpusChangesWhenAFileIsAdded() throws ToolException, IOException {
        Path folder = TestCorpus.copy("folder", scratch);
        Path cache = scratch.resolve("cache");
        Path before;
        try (WikiIndex index = WikiIndex.openOrBuild(folder, cache)) {
            before = index.location();
            assertThat(index.best("teapot")).isEmpty();
        }
        Files.writeString(folder.resolve("Teapot.txt"), "A teapot is a vessel for steeping tea leaves.");
        try (WikiIndex index = WikiIndex.openOrBuild(folder, cache)) {
            assertThat(index.location()).isNotEqualTo(before);
            assertThat(index.best("teapot")).hasValue("A teapot is a vessel for steeping tea leaves.");
        }
    }

    @Test
    void twoCorporaKeepSeparateIndexes() throws ToolException, IOException {
        Path cache = scratch.resolve("cache");
        try (WikiIndex a = WikiIndex.openOrBuild(TestCorpus.copy("corpus.jsonl", scratch), cache);
             WikiIndex b = WikiIndex.openOrBuild(TestCorpus.copy("folder", scratch), cache)) {
            assertThat(a.location()).isNotEqualTo(b.location());
            assertThat(entries(cache)).hasSize(2);
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }
}
