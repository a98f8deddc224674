package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q8_0: blocks of 32 weights in 34 bytes, 8.5 bits per weight.
 * <pre>
 * offset  size  field
 *      0     2  d      fp16 scale
 *      2    32  qs[32] int8 quants; weight j = qs[j] * d
 * </pre>
 * Encoding matches {@code quants.py} {@code Q8_0} (bit-exact with ggml's {@code quantize_row_q8_0_ref}):
 * {@code d = max|x| / 127}, {@code q = round(x / d)} with halves rounded away from zero.
 */
final class Q8_0Codec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset);
        for (int j = 0; j < 32; j++) {
            dst[at + j] = BlockBytes.i8(src, offset + 2 + j) * d;
        }
    }

    @Override
    public void encodeBlock(float[] src, int at, MemorySegment dst, long offset) {
        float amax = 0;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(src[at + j]));
        }
        float d = amax / 127;
        float id = d == 0 ? 0 : 1 / d;
        BlockBytes.putF16(dst, offset, d);
        for (int j = 0; j < 32; j++) {
            BlockBytes.putU8(dst, offset + 2 + j, (int) QuantMath.roundHalfAway(src[at + j] * id));
        }
    }
}
