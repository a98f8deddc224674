package io.jllm.engine.quant;

import io.jllm.engine.quant.type.Q8Activations;
import io.jllm.engine.quant.type.Q8_0Activations;
import io.jllm.engine.quant.type.Q8_KActivations;
import io.jllm.engine.quant.type.Q8_KInterleavedActivations;

/** The block formats activations are quantized to before integer products (llama.cpp's {@code vec_dot_type}). */
public enum ActivationFormat {
    /** Q8_0 blocks widened to 16 bits in the order of the interleaved (repacked) Q4_0 and Q8_0 kernels. */
    Q8_0_INTERLEAVED {
        @Override
        public QuantizedActivations allocate(int maxVectors, int maxColumns) {
            return new Q8_0Activations(maxVectors, maxColumns);
        }
    },
    /** Q8_0 blocks in row order, for products on stored Q4_0, Q5_0, Q8_0 and IQ4_NL blocks. */
    Q8_0 {
        @Override
        public QuantizedActivations allocate(int maxVectors, int maxColumns) {
            return Q8Activations.q8_0(maxVectors, maxColumns);
        }
    },
    /** Q8_1 blocks (Q8_0 plus each block's {@code d * sum(q)}) in row order, for stored Q4_1 and Q5_1 blocks. */
    Q8_1 {
        @Override
        public QuantizedActivations allocate(int maxVectors, int maxColumns) {
            return Q8Activations.q8_1(maxVectors, maxColumns);
        }
    },
    /** Q8_K blocks of 256, the partner of the K-quants (Q4_K, Q6_K). */
    Q8_K {
        @Override
        public QuantizedActivations allocate(int maxVectors, int maxColumns) {
            return new Q8_KActivations(maxVectors, maxColumns);
        }
    },
    /** Q8_K blocks (one scale per 256 values) in the order of {@link #Q8_0_INTERLEAVED}, for repacked K-quants. */
    Q8_K_INTERLEAVED {
        @Override
        public QuantizedActivations allocate(int maxVectors, int maxColumns) {
            return new Q8_KInterleavedActivations(maxVectors, maxColumns);
        }
    },
    /** {@link #Q8_0_INTERLEAVED} over a row's whole groups, {@link #Q8_0} over the rest ({@link SplitMatrix}). */
    SPLIT_Q8_0 {
        @Override
        public QuantizedActivations allocate(int maxVectors, int maxColumns) {
            return new SplitActivations(this, Q8_0, maxVectors, maxColumns);
        }
    },
    /** {@link #Q8_0_INTERLEAVED} over a row's whole groups, {@link #Q8_1} over the rest ({@link SplitMatrix}). */
    SPLIT_Q8_1 {
        @Override
        public QuantizedActivations allocate(int maxVectors, int maxColumns) {
            return new SplitActivations(this, Q8_1, maxVectors, maxColumns);
        }
    };

    /** The format of a {@link SplitMatrix} whose tail multiplies {@code tail} activations. */
    static ActivationFormat split(ActivationFormat tail) {
        return switch (tail) {
            case Q8_0 -> SPLIT_Q8_0;
            case Q8_1 -> SPLIT_Q8_1;
            default -> throw new IllegalArgumentException("no split format with a " + tail + " tail");
        };
    }

    /** Buffers for up to {@code maxVectors} vectors of up to {@code maxColumns} values. */
    public abstract QuantizedActivations allocate(int maxVectors, int maxColumns);
}
