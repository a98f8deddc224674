package io.jllm.engine.chat.session;

import io.jllm.engine.generate.GenerationResult;

/** What became of one user message in a {@link Conversation}. */
public sealed interface Reply permits Reply.Answered, Reply.PromptTooLong {

    /**
     * The model answered (completely or not: see the result's stop reason).
     *
     * @param result       the answer, its stop reason and timings; the prompt timings count only the tokens
     *                     that ran through the model
     * @param reusedTokens prompt tokens that were already in the cache from earlier turns
     */
    record Answered(GenerationResult result, int reusedTokens) implements Reply {
    }

    /**
     * The conversation with the new message does not leave room for an answer; nothing was changed.
     *
     * @param promptTokens the tokens the rendered conversation needs
     * @param capacity     the tokens the context holds
     */
    record PromptTooLong(int promptTokens, int capacity) implements Reply {
    }
}
