package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * IQ4_XS: super-blocks of 256 weights in 136 bytes, 4.25 bits per weight; 8 sub-blocks of 32 weights
 * with 6-bit scales, each weight a 4-bit index into {@link Iq4NlValues}.
 * <pre>
 * offset  size  field
 *      0     2  d            fp16 super-scale
 *      2     2  scales_h     uint16: bits 2k..2k+1 are the high two bits of scale k
 *      4     4  scales_l[4]  low four bits of scale k: nibble k % 2 (low first) of scales_l[k / 2]
 *      8   128  qs[128]      sub-block k: weight 32k + j (j &lt; 16) is the low nibble of qs[16k + j],
 *                            weight 32k + 16 + j its high nibble
 * </pre>
 * Weight = (d * (scale - 32)) * level(index).
 */
final class IQ4_XSCodec implements BlockDequantizer {

    @Override
    public GgmlType type() {
        return GgmlType.IQ4_XS;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset);
        int scalesHigh = BlockBytes.u16(src, offset + 2);
        for (int k = 0; k < 8; k++) {
            int low = BlockBytes.u8(src, offset + 4 + k / 2) >> (4 * (k % 2)) & 0xF;
            int scale = low | (scalesHigh >> (2 * k) & 3) << 4;
            float dl = d * (scale - 32);
            for (int j = 0; j < 16; j++) {
                int b = BlockBytes.u8(src, offset + 8 + 16 * k + j);
                dst[at + 32 * k + j] = dl * Iq4NlValues.value(b & 0xF);
                dst[at + 32 * k + 16 + j] = dl * Iq4NlValues.value(b >> 4);
            }
        }
    }
}
