package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q6_K: super-blocks of 256 weights in 210 bytes, 6.5625 bits per weight; 16 sub-blocks of 16 weights.
 * <pre>
 * offset  size  field
 *      0   128  ql[128]     low 4 bits; for weight 128h + r: nibble r / 64 (low first) of ql[64h + r % 64]
 *    128    64  qh[64]      high 2 bits; for weight 128h + r: bits 2(r / 32).. of qh[32h + r % 32]
 *    192    16  scales[16]  int8 scale per sub-block of 16
 *    208     2  d           fp16 super-scale
 * </pre>
 * Weight i = (d * scale) * (q - 32), with the scale of sub-block i / 16.
 * <p>
 * Encoding ports ggml's {@code quantize_row_q6_K_ref} (what {@code llama-quantize} uses without an importance
 * matrix; the {@code gguf} Python package cannot encode K-quants): each sub-block is fitted by
 * {@code make_qx_quants} (x²-weighted), the scales are quantized to int8 against the one of largest magnitude,
 * and the weights are then re-quantized with the stored scales. An all-zero super-block encodes as zero bytes.
 */
final class Q6_KCodec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset + 208);
        for (int i = 0; i < 256; i++) {
            int h = i / 128;
            int r = i % 128;
            int low = BlockBytes.u8(src, offset + 64 * h + r % 64) >> (4 * (r / 64)) & 0xF;
            int high = BlockBytes.u8(src, offset + 128 + 32 * h + r % 32) >> (2 * (r / 32)) & 3;
            float dl = d * BlockBytes.i8(src, offset + 192 + i / 16);
            dst[at + i] = dl * ((low | high << 4) - 32);
        }
    }

    @Override
    public void encodeBlock(float[] x, int at, MemorySegment dst, long offset) {
        byte[] levels = new byte[256];
        float[] scales = new float[16];
        float maxScale = 0;
        float maxAbsScale = 0;
        for (int ib = 0; ib < 16; ib++) {
            scales[ib] = KQuantSearch.makeQxQuants(16, 32, x, at + 16 * ib, levels, 16 * ib);
            if (Math.abs(scales[ib]) > maxAbsScale) {
                maxAbsScale = Math.abs(scales[ib]);
                maxScale = scales[ib];
            }
        }
        if (maxAbsScale < KQuantSearch.GROUP_MAX_EPS) {
            BlockBytes.clear(dst, offset, 210);
            return;
        }
        float iscale = -128f / maxScale;
        BlockBytes.putF16(dst, offset + 208, 1 / iscale);
        int[] scaleLevels = new int[16];
        for (int ib = 0; ib < 16; ib++) {
            scaleLevels[ib] = Math.min(127, QuantMath.nearestInt(iscale * scales[ib]));
            BlockBytes.putU8(dst, offset + 192 + ib, scaleLevels[ib]);
        }
        float d = BlockBytes.f16(dst, offset + 208);
        for (int ib = 0; ib < 16; ib++) {
            float dl = d * scaleLevels[ib];
            if (dl == 0) {
                continue;
            }
            for (int l = 0; l < 16; l++) {
                int q = QuantMath.nearestInt(x[at + 16 * ib + l] / dl);
                levels[16 * ib + l] = (byte) (Math.max(-32, Math.min(31, q)) + 32);
            }
        }
        for (int h = 0; h < 2; h++) {
            for (int l = 0; l < 32; l++) {
                int q1 = levels[128 * h + l];
                int q2 = levels[128 * h + l + 32];
                int q3 = levels[128 * h + l + 64];
                int q4 = levels[128 * h + l + 96];
                BlockBytes.putU8(dst, offset + 64 * h + l, q1 & 0xF | (q3 & 0xF) << 4);
                BlockBytes.putU8(dst, offset + 64 * h + l + 32, q2 & 0xF | (q4 & 0xF) << 4);
                BlockBytes.putU8(dst, offset + 128 + 32 * h + l, q1 >> 4 | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6);
            }
        }
    }
}
