package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The reference codecs by ggml type: which types can be decoded to floats and which can be encoded, with
 * convenience methods that allocate the result. Asking for a type without a codec through the convenience
 * methods fails with a message naming the type and listing the supported ones.
 */
public final class Codecs {
    private static final F32Codec F32 = new F32Codec();
    private static final F16Codec F16 = new F16Codec();
    private static final BF16Codec BF16 = new BF16Codec();
    private static final Q8_0Codec Q8_0 = new Q8_0Codec();
    private static final Q4_0Codec Q4_0 = new Q4_0Codec();
    private static final Q4_1Codec Q4_1 = new Q4_1Codec();
    private static final Q5_0Codec Q5_0 = new Q5_0Codec();
    private static final Q5_1Codec Q5_1 = new Q5_1Codec();
    private static final Q2_KCodec Q2_K = new Q2_KCodec();
    private static final Q3_KCodec Q3_K = new Q3_KCodec();
    private static final Q4_KCodec Q4_K = new Q4_KCodec();
    private static final Q5_KCodec Q5_K = new Q5_KCodec();
    private static final Q6_KCodec Q6_K = new Q6_KCodec();
    private static final IQ4_NLCodec IQ4_NL = new IQ4_NLCodec();
    private static final IQ4_XSCodec IQ4_XS = new IQ4_XSCodec();

    private Codecs() {
    }

    /** The reference dequantizer of a type, if there is one. */
    public static Optional<Dequantizer> dequantizer(GgmlType type) {
        return Optional.ofNullable(switch (type) {
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
            case Q4_1 -> Q4_1;
            case Q5_0 -> Q5_0;
            case Q5_1 -> Q5_1;
            case Q2_K -> Q2_K;
            case Q3_K -> Q3_K;
            case Q4_K -> Q4_K;
            case Q5_K -> Q5_K;
            case Q6_K -> Q6_K;
            case IQ4_NL -> IQ4_NL;
            case IQ4_XS -> IQ4_XS;
            default -> null;
        });
    }

    /** The reference quantizer of a type, if there is one. */
    public static Optional<Quantizer> quantizer(GgmlType type) {
        return Optional.ofNullable(switch (type) {
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
            case Q4_1 -> Q4_1;
            case Q5_0 -> Q5_0;
            case Q5_1 -> Q5_1;
            default -> null;
        });
    }

    /**
     * Decodes {@code elements} values of {@code type} stored at the start of {@code src}.
     *
     * @throws IllegalArgumentException if the type has no dequantizer, or the count is not a whole number of
     *                                  blocks or does not fit in an array
     * @throws IndexOutOfBoundsException if {@code src} is shorter than the data
     */
    public static float[] dequantize(GgmlType type, MemorySegment src, long elements) {
        Dequantizer dequantizer = dequantizer(type).orElseThrow(() -> unsupported("dequantizer", type,
                Codecs::hasDequantizer));
        if (elements < 0 || elements > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(type + ": cannot decode " + elements
                    + " elements into one float array");
        }
        float[] out = new float[(int) elements];
        dequantizer.dequantize(src, 0, out, 0, out.length);
        return out;
    }

    /**
     * Encodes all of {@code values} (a whole number of blocks) as {@code type}.
     *
     * @throws IllegalArgumentException if the type has no quantizer or the count is not a whole number of blocks
     */
    public static byte[] quantize(GgmlType type, float[] values) {
        Quantizer quantizer = quantizer(type).orElseThrow(() -> unsupported("quantizer", type, Codecs::hasQuantizer));
        byte[] out = new byte[Math.toIntExact(type.bytesFor(values.length))];
        quantizer.quantize(values, 0, values.length, MemorySegment.ofArray(out), 0);
        return out;
    }

    private static boolean hasDequantizer(GgmlType type) {
        return dequantizer(type).isPresent();
    }

    private static boolean hasQuantizer(GgmlType type) {
        return quantizer(type).isPresent();
    }

    private static IllegalArgumentException unsupported(String what, GgmlType type,
                                                        Predicate<GgmlType> supported) {
        String names = Arrays.stream(GgmlType.values()).filter(supported).map(Enum::name)
                .collect(Collectors.joining(", "));
        return new IllegalArgumentException("no reference " + what + " for ggml type " + type + " (id " + type.id()
                + "); supported: " + names);
    }
}
