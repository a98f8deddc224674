package io.jllm.gguf.codec;

/**
 * IEEE binary16 conversions with the reference's NaN behaviour. Ordinary values go through
 * {@link Float#float16ToFloat} and {@link Float#floatToFloat16} (exact widening, round-to-nearest-even
 * narrowing). NaNs are handled here because the JDK's hardware intrinsics quiet signalling NaNs while its
 * interpreter does not, so the same input could give different bits depending on JIT state.
 */
public final class Fp16 {
    private Fp16() {
    }

    /** Widens exactly; a NaN keeps its sign and payload (as numpy does). */
    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        if ((h & 0x7C00) == 0x7C00 && (h & 0x03FF) != 0) {
            return Float.intBitsToFloat((h & 0x8000) << 16 | 0x7F80_0000 | (h & 0x03FF) << 13);
        }
        return Float.float16ToFloat(half);
    }

    /**
     * Narrows with round-to-nearest-even, overflowing to infinity. A NaN keeps its sign and the top ten payload
     * bits, and stays a NaN when those are all zero (numpy's {@code astype(np.float16)}).
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7F80_0000) == 0x7F80_0000 && (bits & 0x007F_FFFF) != 0) {
            int payload = 0x7C00 + ((bits & 0x007F_FFFF) >>> 13);
            if (payload == 0x7C00) {
                payload++;
            }
            return (short) ((bits >>> 16 & 0x8000) | payload);
        }
        return Float.floatToFloat16(value);
    }
}
