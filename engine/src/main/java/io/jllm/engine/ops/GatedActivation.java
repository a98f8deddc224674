package io.jllm.engine.ops;

/** The activation of a gated feed-forward network, applied as {@code gate = act(gate) * up}. */
public enum GatedActivation {
    /** SwiGLU (Llama, Qwen): {@link SwiGlu}. */
    SILU {
        @Override
        public void apply(float[] gate, float[] up, int n) {
            SwiGlu.apply(gate, up, n);
        }
    },
    /** GeGLU with the tanh approximation of GELU (Gemma): {@link GeGlu}. */
    GELU_TANH {
        @Override
        public void apply(float[] gate, float[] up, int n) {
            GeGlu.apply(gate, up, n);
        }
    };

    /** Overwrites {@code gate[0, n)} with {@code act(gate) * up}. */
    public abstract void apply(float[] gate, float[] up, int n);
}
