package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q5_0: blocks of 32 weights in 22 bytes, 5.5 bits per weight.
 * <pre>
 * offset  size  field
 *      0     2  d      fp16 scale
 *      2     4  qh     uint32: bit j is the fifth bit of weight j
 *      6    16  qs[16] byte j: low four bits of weight j (low nibble) and of weight j + 16 (high nibble)
 * </pre>
 * Weight = (q - 16) * d. Encoding matches {@code quants.py} {@code Q5_0} (and ggml's
 * {@code quantize_row_q5_0_ref}): {@code d = x[argmax|x|] / -16}, {@code q = min(31, trunc(x / d + 16.5))}.
 */
final class Q5_0Codec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset);
        int qh = BlockBytes.i32(src, offset + 2);
        for (int j = 0; j < 16; j++) {
            int b = BlockBytes.u8(src, offset + 6 + j);
            int lo = b & 0xF | (qh >>> j & 1) << 4;
            int hi = b >> 4 | (qh >>> (j + 16) & 1) << 4;
            dst[at + j] = (lo - 16) * d;
            dst[at + j + 16] = (hi - 16) * d;
        }
    }

    @Override
    public void encodeBlock(float[] src, int at, MemorySegment dst, long offset) {
        float d = QuantMath.signedAbsMax(src, at, 32) / -16;
        float id = d == 0 ? 0 : 1 / d;
        BlockBytes.putF16(dst, offset, d);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (int) (src[at + j] * id + 16.5f));
            int hi = Math.min(31, (int) (src[at + j + 16] * id + 16.5f));
            BlockBytes.putU8(dst, offset + 6 + j, lo & 0xF | (hi & 0xF) << 4);
            qh |= (lo >> 4) << j | (hi >> 4) << (j + 16);
        }
        BlockBytes.putI32(dst, offset + 2, qh);
    }
}
