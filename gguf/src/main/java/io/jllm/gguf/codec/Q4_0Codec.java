package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q4_0: blocks of 32 weights in 18 bytes, 4.5 bits per weight.
 * <pre>
 * offset  size  field
 *      0     2  d      fp16 scale
 *      2    16  qs[16] byte j: weight j in the low nibble, weight j + 16 in the high nibble
 * </pre>
 * Weight = (nibble - 8) * d. Encoding matches {@code quants.py} {@code Q4_0} (and ggml's
 * {@code quantize_row_q4_0_ref}): {@code d = x[argmax|x|] / -8}, {@code q = min(15, trunc(x / d + 8.5))}.
 */
final class Q4_0Codec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset);
        for (int j = 0; j < 16; j++) {
            int b = BlockBytes.u8(src, offset + 2 + j);
            dst[at + j] = ((b & 0xF) - 8) * d;
            dst[at + j + 16] = ((b >> 4) - 8) * d;
        }
    }

    @Override
    public void encodeBlock(float[] src, int at, MemorySegment dst, long offset) {
        float d = QuantMath.signedAbsMax(src, at, 32) / -8;
        float id = d == 0 ? 0 : 1 / d;
        BlockBytes.putF16(dst, offset, d);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (src[at + j] * id + 8.5f));
            int hi = Math.min(15, (int) (src[at + j + 16] * id + 8.5f));
            BlockBytes.putU8(dst, offset + 2 + j, lo | hi << 4);
        }
    }
}
