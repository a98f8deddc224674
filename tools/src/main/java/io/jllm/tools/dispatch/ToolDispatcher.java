package io.jllm.tools.dispatch;

import io.jllm.engine.generate.Decision;
import io.jllm.engine.generate.DecodeListener;
import io.jllm.engine.generate.GenerateOptions;
import io.jllm.engine.generate.GenerationResult;
import io.jllm.engine.generate.Generator;
import io.jllm.engine.tokenizer.StreamingDecoder;
import io.jllm.engine.tokenizer.Tokenizer;
import io.jllm.tools.ToolResult;
import io.jllm.tools.ToolRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The decode listener that lets a model use tools: decodes the sampled tokens to text (whole UTF-8 characters,
 * special tokens as their text), hands the text to a {@link CallSyntax}, and when a call is complete runs it
 * through the {@link ToolRunner} and answers {@link Decision#inject} with the result's tokens, so decoding goes
 * on after the result in the same KV cache. Failures of any kind (the tool's, a timeout, an unknown tool, a
 * malformed call) are results too: the model reads {@code error: ...} and goes on.
 *
 * <p>Optionally applies Toolformer's decoding rule ({@link CallForcing}). At most {@code maxCalls} calls run,
 * and at most as many calls are forced. One dispatcher serves one conversation; not thread-safe.
 */
public final class ToolDispatcher implements DecodeListener {

    private static final String API_OPEN = "<API>";
    private static final String API_CLOSE = "</API>";

    private final Tokenizer tokenizer;
    private final ToolRunner runner;
    private final CallSyntax syntax;
    private final ResultInjection injection;
    private final CallForcing forcing;
    private final int maxCalls;
    private final StreamingDecoder decoder;
    private final StringBuilder turn = new StringBuilder();
    private final List<ToolResult> calls = new ArrayList<>();
    private int forced;

    /**
     * @param forcing  Toolformer's decoding rule, or null to start calls only when the model writes them
     * @param maxCalls the most calls to run
     */
    public ToolDispatcher(Tokenizer tokenizer, ToolRunner runner, CallSyntax syntax, ResultInjection injection,
            CallForcing forcing, int maxCalls) {
        this.tokenizer = tokenizer;
        this.runner = runner;
        this.syntax = syntax;
        this.injection = injection;
        this.forcing = forcing;
        this.maxCalls = maxCalls;
        this.decoder = tokenizer.streamingDecoder();
    }

    /**
     * Toolformer's inline calls {@code [Tool(arguments) → result]}, or {@code <API>Tool(arguments) → result</API>}
     * when the vocabulary has the paper's {@code <API>} and {@code </API>} tokens.
     */
    public static ToolDispatcher toolformer(Tokenizer tokenizer, ToolRunner runner, DispatchOptions options) {
        OptionalInt open = find(tokenizer, API_OPEN);
        OptionalInt close = find(tokenizer, API_CLOSE);
        boolean api = open.isPresent() && close.isPresent();
        String opener = api ? API_OPEN : "[";
        ResultInjection injection = api ? InlineResult.closingWithToken(tokenizer, close.getAsInt())
                : InlineResult.closingWith(tokenizer, "]");
        CallForcing forcing = options.topK() == 0 ? null : CallForcing.of(tokenizer, opener, options.topK());
        return new ToolDispatcher(tokenizer, runner, new ToolformerSyntax(List.of(opener)), injection, forcing,
                options.maxCalls());
    }

    /** A chat model's own tool-call format; results come back as the template's tool turn. */
    public static ToolDispatcher chat(Tokenizer tokenizer, ToolRunner runner, ChatToolCalls chat, int maxCalls) {
        return new ToolDispatcher(tokenizer, runner, chat.syntax(), chat, null, maxCalls);
    }

    /** Generates from {@code prompt} with this dispatcher watching; see {@link Generator#generate}. */
    public ToolUseResult generate(Generator generator, String prompt, GenerateOptions options,
            Consumer<String> onText) {
        int before = calls.size();
        GenerationResult result = generator.generate(prompt, options, this, onText);
        return new ToolUseResult(result, calls.subList(before, calls.size()));
    }

    /** The calls run so far, in order. */
    public List<ToolResult> calls() {
        return List.copyOf(calls);
    }

    @Override
    public Decision onToken(int token, int position, float[] logits) {
        Decision decision = Decision.CONTINUE;
        if (forcing != null && calls.size() < maxCalls && forced < maxCalls && !syntax.inCall()) {
            OptionalInt opener = forcing.replacement(CallForcing.textOf(tokenizer, token), logits);
            if (opener.isPresent()) {
                token = opener.getAsInt();
                decision = Decision.replace(token);
                forced++;
            }
        }
        String text = decode(token);
        turn.append(text);
        Optional<CallRequest> call = syntax.accept(text);
        if (call.isEmpty()) {
            return decision;
        }
        if (calls.size() >= maxCalls) {
            return decision;
        }
        ToolResult result = run(call.get());
        calls.add(result);
        int[] injected = injection.tokens(call.get(), result, turn.toString());
        for (int t : injected) {
            decoder.next(t);
        }
        turn.setLength(0);
        syntax.reset();
        return Decision.inject(injected);
    }

    private ToolResult run(CallRequest call) {
        if (call.malformed() != null) {
            return new ToolResult(call.tool(), call.arguments(), "", Duration.ZERO, call.malformed());
        }
        return runner.run(call.tool(), call.arguments());
    }

    /** The token's text; special tokens, which decode to nothing, count as their own text ({@code <tool_call>}). */
    private String decode(int token) {
        String piece = decoder.next(token);
        if (piece.isEmpty() && tokenizer.tokenBytes(token).length == 0) {
            return tokenizer.tokenText(token);
        }
        return piece;
    }

    private static OptionalInt find(Tokenizer tokenizer, String text) {
        for (int token = 0; token < tokenizer.vocabularySize(); token++) {
            if (tokenizer.tokenText(token).equals(text)) {
                return OptionalInt.of(token);
            }
        }
        return OptionalInt.empty();
    }
}
