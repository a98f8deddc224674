package io.jllm.gguf.codec;

import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * F16: one IEEE binary16 value per element, 2 bytes, 16 bits per weight. Encoding rounds to nearest even and
 * overflows to infinity, like numpy's {@code astype(np.float16)} used by {@code quants.py}; see {@link Fp16}
 * for NaNs.
 */
final class F16Codec implements BlockDequantizer, BlockQuantizer {

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        dst[at] = BlockBytes.f16(src, offset);
    }

    @Override
    public void encodeBlock(float[] src, int at, MemorySegment dst, long offset) {
        BlockBytes.putF16(dst, offset, src[at]);
    }
}
