package io.jllm.engine.tokenizer;

/**
 * Per-token attribute bits, as llama.cpp derives them from {@code tokenizer.ggml.token_type}. Bits rather than
 * an enum because model quirks add LSTRIP/RSTRIP (and CONTROL) on top of the stored type.
 */
final class TokenAttributes {
    static final int UNDEFINED = 0;
    static final int UNKNOWN = 1 << 0;
    static final int UNUSED = 1 << 1;
    static final int NORMAL = 1 << 2;
    static final int CONTROL = 1 << 3;
    static final int USER_DEFINED = 1 << 4;
    static final int BYTE = 1 << 5;
    /** Whitespace before the token's text is removed when it is split out of the input. */
    static final int LSTRIP = 1 << 7;
    /** Whitespace after the token's text is removed when it is split out of the input. */
    static final int RSTRIP = 1 << 8;

    /** Tokens split out of the input text before the model's own tokenizer runs. */
    static final int SPECIAL = CONTROL | USER_DEFINED | UNKNOWN;

    private TokenAttributes() {
    }

    /** Maps a GGUF token type (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte). */
    static int fromGgufType(long type) {
        return switch ((int) type) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> UNDEFINED;
        };
    }
}
