package io.jllm.tools.dispatch;

import java.util.Optional;

/**
 * Recognises tool calls in generated text that arrives in pieces of any size (one token's text at a time), so
 * a call is found however the tokenizer splits it. One implementation per way of writing calls: Toolformer's
 * inline {@code [Calculator(400/1400) →}, Hermes' {@code <tool_call>{...}</tool_call>}, Llama 3.1's bare JSON.
 */
public interface CallSyntax {

    /**
     * Reads the next piece of text.
     *
     * @return the call whose end this piece completes; text after that end in the same piece is ignored
     */
    Optional<CallRequest> accept(String piece);

    /** True while a call has started and not yet ended or been abandoned. */
    boolean inCall();

    /** Forgets everything read so far (after a call was answered). */
    void reset();
}
