package io.jllm.engine.cli;

import io.jllm.engine.generate.Decision;
import io.jllm.engine.generate.DecodeListener;
import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.GenerationResult;
import io.jllm.engine.generate.Session;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.testing.FakeTokenizer;
import io.jllm.engine.testing.ScriptedModel;
import io.jllm.gguf.testing.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code jllm run}: argument handling through {@link Main}, the whole command over a scripted model, and
 * once over the tiny llama model file.
 */
class RunCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int main(String... args) {
        return Main.run(List.of(args), print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpExplainsEveryOptionAndItsDefault() {
        assertThat(main("run", "--help")).isZero();
        assertThat(out()).contains("-m, --model FILE", "-p, --prompt TEXT", "--n-predict N", "(default 128)",
                "--temp T", "(default 0.8)", "--top-k K", "(default 40)", "--top-p P", "(default 0.95)",
                "--min-p P", "(default 0.05)", "--repeat-penalty R", "last 64; 1 = off (default 1.0)",
                "--seed N", "-t, --threads N", "-c, --ctx N", "(default 4096");
        assertThat(Main.commands()).extracting(Command::name).contains("run");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-p x                               | missing required option -m/--model",
            "-m a.gguf                          | missing required option -p/--prompt",
            "-m a.gguf -p x --tmp 1             | unknown option --tmp",
            "-m a.gguf -p x -n many             | option -n expects an integer, got 'many'",
            "-m a.gguf -p x -n 0                | option -n: maxTokens must be >= 1 (or -1 for no limit), got 0",
            "-m a.gguf -p x --temp -1           | option --temp: temperature must be >= 0 and finite, got -1.0",
            "-m a.gguf -p x --top-k -2          | option --top-k: topK must be >= 0 (0 disables it), got -2",
            "-m a.gguf -p x --top-p 1.5         | option --top-p: topP must be in (0, 1], got 1.5",
            "-m a.gguf -p x --min-p 2           | option --min-p: minP must be in [0, 1], got 2.0",
            "-m a.gguf -p x --repeat-penalty 0  | option --repeat-penalty: repeatPenalty must be > 0 and finite (1 disables it), got 0.0",
            "-m a.gguf -p x --seed 1.5          | option --seed expects an integer, got '1.5'",
            "-m a.gguf -p x -t 0                | option -t: threads must be at least 1, got 0",
            "-m a.gguf -p x --ctx 0             | option -c must be at least 1, got 0",
    })
    void badArgumentsAreUsageErrorsNamingTheOption(String args, String message) {
        List<String> command = new ArrayList<>(List.of("run"));
        command.addAll(List.of(args.trim().split(" +")));
        assertThat(Main.run(command, print(out), print(err))).isEqualTo(2);
        assertThat(err()).startsWith("jllm run: " + message + System.lineSeparator())
                .contains("Run 'jllm run --help' for usage.");
        assertThat(out()).isEmpty();
    }

    @Test
    void continuesAPromptWithTheTinyModel() throws Exception {
        Path file = SharedTestData.tiny("llama-f32.gguf");
        String expected;
        int promptLength;
        try (Engine engine = Engine.load(file, ModelOptions.defaults().withThreads(1))) {
            Session session = engine.newSession(512, SamplerConfig.greedy());
            int[] prompt = engine.tokenizer().encode("The License", true, true);
            promptLength = prompt.length;
            session.prefill(prompt);
            int[] tokens = new int[12];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = session.decode();
            }
            expected = engine.tokenizer().decode(tokens);
        }
        assertThat(main("run", "-m", file.toString(), "-p", "The License", "-n", "12", "--temp", "0", "-t", "1"))
                .as(err()).isZero();
        // Greedy through the command equals greedy through a session (the latter is checked against llama.cpp).
        assertThat(out()).isEqualTo(expected + System.lineSeparator());
        assertThat(err()).contains("prompt: " + promptLength + " tokens", "generation: 12 tokens", "stopped by max tokens");
    }

    @Test
    void aMissingModelFileIsReportedByName(@TempDir Path dir) {
        Path missing = dir.resolve("absent.gguf");
        assertThat(main("run", "-m", missing.toString(), "-p", "hi")).isEqualTo(1);
        assertThat(err()).contains(missing.toString(), "model file not found");
    }

    private final FakeTokenizer tokenizer = new FakeTokenizer("<eos>", "Hello", " world", "!");
    private final ScriptedModel model = new ScriptedModel(tokenizer, 64,
            ScriptedModel.bigrams(tokenizer, "Hello", " world", " world", "!"));
    private final List<ModelOptions> loadedWith = new ArrayList<>();
    private final RunCommand command = new RunCommand((path, options) -> {
        loadedWith.add(options);
        return model;
    });

    @Test
    void streamsTheContinuationAndReportsSpeedOnStderr() throws Exception {
        int status = command.run(List.of("-m", "fake.gguf", "-p", "Hello", "--seed", "7", "-t", "3"),
                print(out), print(err));

        assertThat(status).isZero();
        assertThat(out()).isEqualTo(" world!" + System.lineSeparator());
        assertThat(err()).contains("prompt: 1 tokens in ", "generation: 3 tokens in ", "tokens/s",
                "stopped by end of generation", "seed: 7");
        assertThat(loadedWith).extracting(ModelOptions::threads).containsExactly(3);
        assertThat(model.cache.capacity()).as("default context, capped at the model's 64").isEqualTo(64);
        assertThat(model.closed).isTrue();
    }

    @Test
    void stopsAtTheTokenLimit() throws Exception {
        command.run(List.of("-m", "fake.gguf", "-p", "Hello", "-n", "1", "--ctx", "8"), print(out), print(err));
        assertThat(out()).isEqualTo(" world" + System.lineSeparator());
        assertThat(err()).contains("stopped by max tokens");
        assertThat(model.cache.capacity()).isEqualTo(8);
    }

    @Test
    void aContextBeyondTheModelsIsRefusedAndTheModelClosed() {
        assertThatThrownBy(() -> command.run(List.of("-m", "fake.gguf", "-p", "Hello", "--ctx", "100"),
                print(out), print(err)))
                .hasMessage("context length must be between 1 and the model's trained context of 64, got 100");
        assertThat(model.closed).isTrue();
    }

    /**
     * Adds {@code --exclaim}: the prompt gets " world" appended, every "!" is followed by an injected "!", and
     * "!!" is a stop string.
     */
    private static class ExclaimExtension implements RunExtension {
        final List<String> events = new ArrayList<>();

        @Override
        public void declareOptions(Args.Declaration options) {
            options.flag("--exclaim");
        }

        @Override
        public String optionsHelp() {
            return "      --exclaim           double every exclamation mark\n";
        }

        @Override
        public Optional<Hook> start(Args args, Path model, Engine engine) {
            if (!args.has("--exclaim")) {
                return Optional.empty();
            }
            events.add("start " + model);
            int bang = engine.tokenizer().encode("!", false, false)[0];
            return Optional.of(new Hook() {
                @Override
                public String prompt(String userPrompt) {
                    return userPrompt + " world";
                }

                @Override
                public GenerateOptions options(GenerateOptions requested) {
                    return requested.withStopStrings("!!");
                }

                @Override
                public DecodeListener listener() {
                    return (token, position, logits) -> token == bang ? Decision.inject(bang) : Decision.CONTINUE;
                }

                @Override
                public void finished(GenerationResult result, PrintStream err) {
                    err.println("exclaimed");
                }

                @Override
                public void close() {
                    events.add("close");
                }
            });
        }
    }

    @Test
    void anExtensionAddsOptionsRewritesThePromptWatchesTheTokensAndReports() throws Exception {
        ExclaimExtension extension = new ExclaimExtension();
        RunCommand extended = new RunCommand((path, options) -> model, List.of(extension));

        assertThat(extended.help()).contains("--exclaim           double every exclamation mark");
        int status = extended.run(List.of("-m", "fake.gguf", "-p", "Hello", "--exclaim"), print(out), print(err));

        assertThat(status).isZero();
        // " world" then "!" plus the injected "!": the stop string, which is never shown.
        assertThat(out()).isEqualTo(System.lineSeparator());
        assertThat(err()).startsWith("exclaimed" + System.lineSeparator())
                .contains("prompt: 2 tokens", "stopped by stop string");
        assertThat(extension.events).containsExactly("start fake.gguf", "close");
    }

    @Test
    void anExtensionWhoseOptionsAreAbsentChangesNothing() throws Exception {
        ExclaimExtension extension = new ExclaimExtension();
        new RunCommand((path, options) -> model, List.of(extension))
                .run(List.of("-m", "fake.gguf", "-p", "Hello"), print(out), print(err));
        assertThat(out()).isEqualTo(" world!" + System.lineSeparator());
        assertThat(extension.events).isEmpty();
    }

    @Test
    void twoActiveExtensionsAreRefusedAndBothClosed() {
        ExclaimExtension first = new ExclaimExtension();
        RunExtension second = new ExclaimExtension() {
            @Override
            public void declareOptions(Args.Declaration options) {
            }
        };
        assertThatThrownBy(() -> new RunCommand((path, options) -> model, List.of(first, second))
                .run(List.of("-m", "fake.gguf", "-p", "Hello", "--exclaim"), print(out), print(err)))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("cannot be combined");
        assertThat(first.events).containsExactly("start fake.gguf", "close");
    }
}
