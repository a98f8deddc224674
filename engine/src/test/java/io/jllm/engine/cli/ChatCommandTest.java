package io.jllm.engine.cli;

import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code jllm chat}: its options and its refusals; the conversation itself is specified in ChatConsoleTest. */
class ChatCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpExplainsTheOptionsAndTheCommands() {
        assertThat(Main.run(List.of("chat", "--help"), print(out), print(err))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: jllm chat [-m MODEL] [OPTIONS]",
                "tokenizer.chat_template", "(default: SmolLM2-135M-Instruct.Q4_1.gguf, fetched on first use",
                "$JLLM_MODELS_DIR", "--system TEXT", "--temp T", "--top-k K", "--top-p P", "--seed N",
                "-t, --threads N", "-c, --ctx N", "--stats", "/reset", "/shift", "/exit", "Ctrl-C");
        assertThat(Main.commands()).extracting(Command::name).contains("chat");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--tmp 1          | unknown option --tmp",
            "-n 0             | option -n: maxTokens must be >= 1 (or -1 for no limit), got 0",
            "--temp -1        | option --temp: temperature must be >= 0 and finite, got -1.0",
            "--top-p 1.5      | option --top-p: topP must be in (0, 1], got 1.5",
            "-t 0             | option -t: threads must be at least 1, got 0",
            "--ctx 0          | option -c must be at least 1, got 0",
            "--stats=yes      | option --stats takes no value",
    })
    void badArgumentsAreUsageErrorsNamingTheOption(String args, String message) {
        List<String> command = new ArrayList<>(List.of("chat", "-m", "a.gguf"));
        command.addAll(List.of(args.trim().split(" +")));
        assertThat(Main.run(command, print(out), print(err))).isEqualTo(2);
        assertThat(err()).startsWith("jllm chat: " + message + System.lineSeparator());
    }

    @Test
    void aModelWithoutAChatTemplateIsRefusedBeforeLoading() {
        Path tiny = SharedTestData.tiny("llama-f32.gguf");
        assertThat(Main.run(List.of("chat", "-m", tiny.toString()), print(out), print(err))).isEqualTo(1);
        assertThat(err()).startsWith("jllm chat: " + tiny + " has no chat template (tokenizer.chat_template), so"
                + " there is no telling how to lay out a conversation for it; 'jllm run' continues plain text");
    }

    @Test
    void withoutAModelOptionTheDefaultModelIsUsed() {
        List<String> progress = new ArrayList<>();
        ChatCommand command = new ChatCommand(new ByteArrayInputStream(new byte[0]), false, stream -> {
            progress.add("asked");
            return SharedTestData.tiny("llama-f32.gguf");
        });
        assertThatThrownBy(() -> command.run(List.of("--temp", "0"), print(out), print(err)))
                .hasMessageContaining("llama-f32.gguf has no chat template");
        assertThat(progress).containsExactly("asked");
    }
}
