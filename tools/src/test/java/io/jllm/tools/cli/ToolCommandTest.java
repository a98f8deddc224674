package io.jllm.tools.cli;

import io.jllm.engine.cli.Main;
import io.jllm.tools.wiki.TestCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ToolCommandTest {

    @TempDir
    Path scratch;

    private record Run(int status, String out, String err) {
    }

    private static Run jllm(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> line = new ArrayList<>(List.of("tool"));
        line.addAll(List.of(args));
        int status = Main.run(line, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsOnlyTheResultOnStdout() {
        assertThat(jllm("calculator", "400/1400")).isEqualTo(new Run(0, "0.29\n", ""));
    }

    @Test
    void namesIgnoreCaseAndArgumentWordsAreJoined() {
        assertThat(jllm("CALCULATOR", "400", "/", "1400")).isEqualTo(new Run(0, "0.29\n", ""));
        assertThat(jllm("Calculator", "-5", "+", "3")).isEqualTo(new Run(0, "-2\n", ""));
    }

    @Test
    void calendarTakesTodayFromTheOption() {
        assertThat(jllm("calendar", "--today", "2026-11-28"))
                .isEqualTo(new Run(0, "Today is Saturday, November 28, 2026.\n", ""));
        assertThat(jllm("calendar", "days_between,", "today,", "2027-01-01", "--today", "2026-11-28"))
                .isEqualTo(new Run(0, "34\n", ""));
        assertThat(jllm("calendar", "weekday, 2027-03-15")).isEqualTo(new Run(0, "Monday\n", ""));
    }

    @Test
    void wikiSearchSearchesTheGivenCorpus() {
        Path corpus = TestCorpus.copy("corpus.jsonl", scratch);
        Run run = jllm("wikisearch", "Kilimanjaro summit", "--wiki-corpus", corpus.toString(),
                "--wiki-cache", scratch.resolve("cache").toString());

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Mount Kilimanjaro is a dormant volcano in Tanzania.").endsWith(".\n");
    }

    @Test
    void aFailingCallExitsWithStatusOneAndTheErrorOnStderr() {
        assertThat(jllm("calculator", "1/0")).isEqualTo(new Run(1, "", "jllm tool: division by zero\n"));
        assertThat(jllm("calendar", "weekday, 2027-02-30")).isEqualTo(new Run(1, "",
                "jllm tool: invalid date '2027-02-30' (expected an existing date as YYYY-MM-DD)\n"));
        assertThat(jllm("wikisearch", "Rhine")).isEqualTo(new Run(1, "", "jllm tool: no search corpus configured\n"));
    }

    @Test
    void anEmptyCorpusFailsClearly() throws Exception {
        Path empty = Files.createFile(scratch.resolve("empty.jsonl"));
        Run run = jllm("wikisearch", "Rhine", "--wiki-corpus", empty.toString(),
                "--wiki-cache", scratch.resolve("cache").toString());
        assertThat(run).isEqualTo(new Run(1, "", "jllm tool: corpus holds no text: " + empty + "\n"));
    }

    @Test
    void usageErrorsExitWithStatusTwo() {
        Run unknown = jllm("weather", "Paris");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).startsWith(
                "jllm tool: unknown tool 'weather' (tools: calculator, calendar, wikisearch)\n");

        assertThat(jllm().status()).isEqualTo(2);
        assertThat(jllm("calendar", "--today", "2026-02-30").err()).contains("--today needs an existing date");
        assertThat(jllm("calendar", "--today").err()).contains("--today needs a value");
        assertThat(jllm("calculator", "1", "--precise").err()).contains("unknown option --precise");
        assertThat(jllm("calculator", "1", "--timeout", "0").err()).contains("--timeout needs a number of seconds");
    }

    @Test
    void helpListsEveryToolWithItsDescriptionAndSyntax() {
        Run help = jllm("--help");

        assertThat(help.status()).isZero();
        assertThat(help.out())
                .contains("usage: jllm tool NAME")
                .contains("calculator  exact decimal arithmetic")
                .contains("Calculator(400 / 1400)")
                .contains("calendar    today's date")
                .contains("Calendar(weekday, 2027-03-15)")
                .contains("wikisearch  the best-matching passage")
                .contains("WikiSearch(Brown Act)")
                .contains("--today YYYY-MM-DD")
                .contains("--wiki-corpus PATH");
    }

    @Test
    void theCommandIsListedByJllmHelp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(List.of("--help"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("tool ").contains("run one tool call");
    }
}
