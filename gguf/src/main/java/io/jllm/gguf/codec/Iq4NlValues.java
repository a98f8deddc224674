package io.jllm.gguf.codec;

/**
 * The 16 non-linear levels of IQ4_NL and IQ4_XS ({@code kvalues_iq4nl} in ggml): a 4-bit index selects one,
 * and the block scale multiplies it.
 */
public final class Iq4NlValues {
    private static final byte[] VALUES = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    private Iq4NlValues() {
    }

    /** The level for a 4-bit index (0..15). */
    public static int value(int index) {
        return VALUES[index];
    }
}
