package io.jllm.gguf.codec;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte scale field of Q4_K and Q5_K: eight 6-bit scales and eight 6-bit mins (ggml's
 * {@code get_scale_min_k4}). Bytes 0..3 hold scales 0..3 in their low six bits, bytes 4..7 mins 0..3 the same
 * way; bytes 8..11 hold the low four bits of scales 4..7 (low nibble) and mins 4..7 (high nibble), whose top
 * two bits sit in the top two bits of bytes 0..3 (scales) and 4..7 (mins).
 */
public final class KScales {
    /** Bytes of the packed field. */
    public static final int BYTES = 12;

    private KScales() {
    }

    /** Scale {@code j} (0..7) of the field starting at {@code offset}. */
    public static int scale(MemorySegment s, long offset, int j) {
        if (j < 4) {
            return BlockBytes.u8(s, offset + j) & 63;
        }
        return BlockBytes.u8(s, offset + j + 4) & 0xF | (BlockBytes.u8(s, offset + j - 4) >> 6) << 4;
    }

    /** Min {@code j} (0..7) of the field starting at {@code offset}. */
    public static int min(MemorySegment s, long offset, int j) {
        if (j < 4) {
            return BlockBytes.u8(s, offset + j + 4) & 63;
        }
        return BlockBytes.u8(s, offset + j + 4) >> 4 | (BlockBytes.u8(s, offset + j) >> 6) << 4;
    }

    /** Packs eight scales and eight mins (each 0..63) into the field starting at {@code offset}. */
    static void pack(MemorySegment s, long offset, int[] scales, int[] mins) {
        for (int j = 0; j < 4; j++) {
            BlockBytes.putU8(s, offset + j, scales[j] | (scales[j + 4] >> 4) << 6);
            BlockBytes.putU8(s, offset + j + 4, mins[j] | (mins[j + 4] >> 4) << 6);
            BlockBytes.putU8(s, offset + j + 8, scales[j + 4] & 0xF | (mins[j + 4] & 0xF) << 4);
        }
    }
}
