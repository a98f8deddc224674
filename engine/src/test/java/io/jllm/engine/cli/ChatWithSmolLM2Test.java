package io.jllm.engine.cli;

import io.jllm.engine.chat.ChatMessage;
import io.jllm.engine.chat.ChatTemplate;
import io.jllm.engine.chat.session.Conversation;
import io.jllm.engine.chat.session.Reply;
import io.jllm.engine.cli.fetch.ModelFetcher;
import io.jllm.engine.cli.fetch.ModelSource;
import io.jllm.engine.generate.DecodeListener;
import io.jllm.engine.generate.Engine;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.GenerationResult;
import io.jllm.engine.generate.Generator;
import io.jllm.engine.model.ModelOptions;
import io.jllm.engine.sampling.SamplerConfig;
import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.gguf.GgufFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code jllm chat} end to end on the real SmolLM2-135M-Instruct, with piped input. Needs the model in the
 * models folder (scripts/fetch-models puts it there); without it these tests fail, they never skip.
 */
@Tag("models")
class ChatWithSmolLM2Test {

    private static final GenerateOptions ANSWER = GenerateOptions.maxTokens(20);

    private static Path model() {
        Path file = ModelFetcher.defaultFolder(System.getenv()).resolve(ModelSource.SMOLLM2.fileName());
        if (!Files.isRegularFile(file)) {
            fail(file + " is missing: run scripts/fetch-models (or set JLLM_MODELS_DIR to where it is)");
        }
        return file;
    }

    @Test
    void answersPipedQuestionsWithTheDefaultModelAndReusesTheCacheOnTheSecondTurn() throws Exception {
        Path file = model();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChatCommand command = new ChatCommand(new ByteArrayInputStream(
                "What is the capital of France?\nAnd the capital of Italy?\n".getBytes(StandardCharsets.UTF_8)),
                false, progress -> new ModelFetcher(file.getParent(), List.of("/nonexistent/python3"), progress)
                        .fetch(ModelSource.SMOLLM2));

        int status = command.run(List.of("--temp", "0", "-n", "48", "-c", "512", "-t", "2", "--stats"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        List<String> answers = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(answers).as(err.toString(StandardCharsets.UTF_8)).hasSize(2);
        // What the 135M model answers is its own business (llama.cpp's greedy answer to this first turn is
        // "L'Étoile, la Cité, la Nation"); fidelity to llama.cpp is RealModelGreedyTest's job. Here: two answers.
        assertThat(answers).allSatisfy(answer -> assertThat(answer).isNotBlank());
        List<String> stats = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("[prompt:"))
                .toList();
        assertThat(stats).hasSize(2);
        assertThat(stats.get(0)).contains("(0 reused)");
        assertThat(stats.get(1)).doesNotContain("(0 reused)");
    }

    @Test
    void aTurnOnTheReusedCacheAnswersAsAFreshSessionOnTheWholeConversationDoes() throws Exception {
        try (Engine engine = Engine.load(model(), ModelOptions.defaults().withThreads(2))) {
            Tokenizer tokenizer = engine.tokenizer();
            ChatTemplate template = new ChatTemplate(chatTemplate(),
                    tokenizer.tokenText(tokenizer.bosToken()), tokenizer.tokenText(tokenizer.eosToken()));
            Conversation chat = new Conversation(engine.newSession(512, SamplerConfig.greedy()), tokenizer,
                    template, null);
            chat.reply("Name a primary colour.", ANSWER, DecodeListener.none(), piece -> { });
            Reply.Answered second = (Reply.Answered) chat.reply("Name another one.", ANSWER, DecodeListener.none(),
                    piece -> { });
            assertThat(second.reusedTokens()).isPositive();

            List<ChatMessage> asked = chat.messages().subList(0, chat.messages().size() - 1);
            Generator fresh = engine.newGenerator(512, SamplerConfig.greedy());
            GenerationResult expected = fresh.generate(tokenizer.encode(template.render(asked, true), false, true),
                    ANSWER, DecodeListener.none(), piece -> { });
            assertThat(second.result().text()).isEqualTo(expected.text());
            assertThat(second.result().tokens()).containsExactly(expected.tokens());
        }
    }

    private static String chatTemplate() throws IOException {
        try (GgufFile file = GgufFile.open(model())) {
            return file.metadata().getString("tokenizer.chat_template");
        }
    }
}
