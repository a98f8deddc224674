package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * IQ4_NL: blocks of 32 weights in 18 bytes, 4.5 bits per weight; like Q4_0 but the nibble indexes the
 * non-linear levels of {@link Iq4NlValues}.
 * <pre>
 * offset  size  field
 *      0     2  d      fp16 scale
 *      2    16  qs[16] byte j: index of weight j in the low nibble, of weight j + 16 in the high nibble
 * </pre>
 * Weight = d * level(index).
 */
final class IQ4_NLCodec implements BlockDequantizer {

    @Override
    public GgmlType type() {
        return GgmlType.IQ4_NL;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = BlockBytes.f16(src, offset);
        for (int j = 0; j < 16; j++) {
            int b = BlockBytes.u8(src, offset + 2 + j);
            dst[at + j] = d * Iq4NlValues.value(b & 0xF);
            dst[at + j + 16] = d * Iq4NlValues.value(b >> 4);
        }
    }
}
