package io.jllm.engine.quant;

import io.jllm.engine.quant.type.BF16;
import io.jllm.engine.quant.type.F16;
import io.jllm.engine.quant.type.F32;
import io.jllm.engine.quant.type.IQ4_NL;
import io.jllm.engine.quant.type.IQ4_XS;
import io.jllm.engine.quant.type.Q2_K;
import io.jllm.engine.quant.type.Q3_K;
import io.jllm.engine.quant.type.Q4_0;
import io.jllm.engine.quant.type.Q4_1;
import io.jllm.engine.quant.type.Q4_K;
import io.jllm.engine.quant.type.Q5_0;
import io.jllm.engine.quant.type.Q5_1;
import io.jllm.engine.quant.type.Q5_K;
import io.jllm.engine.quant.type.Q6_K;
import io.jllm.engine.quant.type.Q8_0;
import io.jllm.gguf.GgmlType;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The registry of matrix kernels, one per supported ggml type. */
public final class Kernels {
    private Kernels() {
    }

    /** The kernel for {@code type}, or empty when jllm cannot compute with it. */
    public static Optional<MatMulKernel> find(GgmlType type) {
        MatMulKernel kernel = switch (type) {
            case F32 -> F32.INSTANCE;
            case F16 -> F16.INSTANCE;
            case BF16 -> BF16.INSTANCE;
            case Q4_0 -> Q4_0.INSTANCE;
            case Q4_1 -> Q4_1.INSTANCE;
            case Q5_0 -> Q5_0.INSTANCE;
            case Q5_1 -> Q5_1.INSTANCE;
            case Q8_0 -> Q8_0.INSTANCE;
            case Q2_K -> Q2_K.INSTANCE;
            case Q3_K -> Q3_K.INSTANCE;
            case Q4_K -> Q4_K.INSTANCE;
            case Q5_K -> Q5_K.INSTANCE;
            case Q6_K -> Q6_K.INSTANCE;
            case IQ4_NL -> IQ4_NL.INSTANCE;
            case IQ4_XS -> IQ4_XS.INSTANCE;
            default -> null;
        };
        return Optional.ofNullable(kernel);
    }

    /** The kernel for {@code type}; the error names the type and lists the supported ones. */
    public static MatMulKernel forType(GgmlType type) {
        return find(type).orElseThrow(() -> new UnsupportedOperationException("unsupported tensor type " + type
                + "; jllm computes with: " + supportedNames()));
    }

    public static String supportedNames() {
        return Arrays.stream(GgmlType.values()).filter(t -> find(t).isPresent()).map(Enum::name)
                .collect(Collectors.joining(", "));
    }
}
