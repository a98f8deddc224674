package io.jllm.bench.synth;

import io.jllm.gguf.GgmlType;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The weight types a synthetic model can be written in: one type for every matrix, or llama.cpp's Q4_K_M
 * mix. The per-tensor choice follows llama-quantize ({@code llama_tensor_get_type}), including its
 * fallback for rows that are not a multiple of the K-quant block of 256.
 */
public enum SynthType {
    F16(GgmlType.F16, 1),
    BF16(GgmlType.BF16, 32),
    Q8_0(GgmlType.Q8_0, 7),
    Q4_0(GgmlType.Q4_0, 2),
    Q4_K(GgmlType.Q4_K, 14),
    Q6_K(GgmlType.Q6_K, 18),
    Q4_K_M(GgmlType.Q4_K, 15);

    private final GgmlType base;
    private final int fileType;

    SynthType(GgmlType base, int fileType) {
        this.base = base;
        this.fileType = fileType;
    }

    /** The {@code general.file_type} llama.cpp writes for this choice. */
    public int fileType() {
        return fileType;
    }

    public static Optional<SynthType> parse(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(name.replace('-', '_'))).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    /**
     * The type of one weight matrix.
     *
     * @param role       the tensor's role: {@code output} (also a tied token_embd), {@code token_embd},
     *                   {@code attn_v}, {@code ffn_down} or any other matrix
     * @param layer      the block index (ignored for non-block tensors)
     * @param layers     the block count
     * @param rowLength  ne0 of the matrix
     */
    GgmlType typeFor(String role, int layer, int layers, long rowLength) {
        GgmlType type = base;
        if (this == Q4_K_M) {
            boolean moreBits = layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
            type = switch (role) {
                case "output" -> GgmlType.Q6_K;
                case "attn_v", "ffn_down" -> moreBits ? GgmlType.Q6_K : GgmlType.Q4_K;
                default -> GgmlType.Q4_K;
            };
        }
        if (rowLength % type.blockSize() != 0) {
            type = switch (type) {
                case Q4_K -> GgmlType.Q5_0;
                case Q6_K -> GgmlType.Q8_0;
                default -> throw new IllegalArgumentException(type + " cannot hold rows of " + rowLength);
            };
        }
        return type;
    }
}
