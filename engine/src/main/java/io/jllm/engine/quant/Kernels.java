package io.jllm.engine.quant;

import io.jllm.engine.quant.type.F32;
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
