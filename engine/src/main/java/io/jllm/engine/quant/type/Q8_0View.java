package io.jllm.engine.quant.type;

import io.jllm.engine.quant.ActivationFormat;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static io.jllm.engine.quant.type.Blocks.SHORT_LE;

/**
 * Integer products on stored {@link Q8_0} blocks with {@link Q8Activations} Q8_0 vectors, as llama.cpp's
 * {@code ggml_vec_dot_q8_0_q8_0}: per block {@code d_w * d_x * sum(q * x_q)}, accumulated in floats.
 * It serves the shapes whose repacked copy ({@link Q8_0Interleaved}) would waste memory on padding.
 * Vectors go in pairs so each block is unpacked once for two; the loops are written out with no helper
 * methods (see {@link Q4_0Interleaved}).
 */
final class Q8_0View extends StoredBlockView {
    private static final int BLOCK_BYTES = 34;

    Q8_0View(MemorySegment data, int columns, int rows) {
        super(GgmlType.Q8_0, BLOCK_BYTES, ActivationFormat.Q8_0, data, columns, rows);
    }


    @Override
    void pair(Q8Activations x, int n, int r, float[] lanes, int slot) {
        short[] qa = x.quants[n];
        float[] da = x.scales[n];
        short[] qb = x.quants[n + 1];
        float[] db = x.scales[n + 1];
        FloatVector acca = FloatVector.zero(FLOATS);
        FloatVector accb = FloatVector.zero(FLOATS);
        long o = r * rowBytes;
        for (int b = 0; b < blocks; b++, o += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SHORT_LE, o));
            ByteVector lo = ByteVector.fromMemorySegment(QUANTS, data, o + 2, ByteOrder.LITTLE_ENDIAN);
            ByteVector hi = ByteVector.fromMemorySegment(QUANTS, data, o + 18, ByteOrder.LITTLE_ENDIAN);
            FloatVector suma = FloatVector.zero(FLOATS);
            FloatVector sumb = FloatVector.zero(FLOATS);
            for (int p = 0; p < PARTS; p++) {
                ShortVector wl = (ShortVector) lo.convertShape(VectorOperators.B2S, SHORTS, p);
                ShortVector wh = (ShortVector) hi.convertShape(VectorOperators.B2S, SHORTS, p);
                int at = 32 * b + p * LANES;
                suma = suma.add((FloatVector) wl.mul(ShortVector.fromArray(SHORTS, qa, at))
                        .add(wh.mul(ShortVector.fromArray(SHORTS, qa, at + 16)))
                        .convertShape(VectorOperators.S2F, FLOATS, 0));
                sumb = sumb.add((FloatVector) wl.mul(ShortVector.fromArray(SHORTS, qb, at))
                        .add(wh.mul(ShortVector.fromArray(SHORTS, qb, at + 16)))
                        .convertShape(VectorOperators.S2F, FLOATS, 0));
            }
            acca = suma.fma(FloatVector.broadcast(FLOATS, d * da[b]), acca);
            accb = sumb.fma(FloatVector.broadcast(FLOATS, d * db[b]), accb);
        }
        acca.intoArray(lanes, slot * LANES);
        accb.intoArray(lanes, (slot + SECOND) * LANES);
    }

    @Override
    void single(Q8Activations x, int n, int r, float[] lanes, int slot) {
        short[] qa = x.quants[n];
        float[] da = x.scales[n];
        FloatVector acca = FloatVector.zero(FLOATS);
        long o = r * rowBytes;
        for (int b = 0; b < blocks; b++, o += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SHORT_LE, o));
            ByteVector lo = ByteVector.fromMemorySegment(QUANTS, data, o + 2, ByteOrder.LITTLE_ENDIAN);
            ByteVector hi = ByteVector.fromMemorySegment(QUANTS, data, o + 18, ByteOrder.LITTLE_ENDIAN);
            FloatVector suma = FloatVector.zero(FLOATS);
            for (int p = 0; p < PARTS; p++) {
                ShortVector wl = (ShortVector) lo.convertShape(VectorOperators.B2S, SHORTS, p);
                ShortVector wh = (ShortVector) hi.convertShape(VectorOperators.B2S, SHORTS, p);
                int at = 32 * b + p * LANES;
                suma = suma.add((FloatVector) wl.mul(ShortVector.fromArray(SHORTS, qa, at))
                        .add(wh.mul(ShortVector.fromArray(SHORTS, qa, at + 16)))
                        .convertShape(VectorOperators.S2F, FLOATS, 0));
            }
            acca = suma.fma(FloatVector.broadcast(FLOATS, d * da[b]), acca);
        }
        acca.intoArray(lanes, slot * LANES);
    }

    @Override
    void unpackRow(int r, float[] quants, float[] scales, float[] mins) {
        long o = r * rowBytes;
        for (int b = 0; b < blocks; b++, o += BLOCK_BYTES) {
            scales[b] = Float.float16ToFloat(data.get(SHORT_LE, o));
            ByteVector lo = ByteVector.fromMemorySegment(QUANTS, data, o + 2, ByteOrder.LITTLE_ENDIAN);
            ByteVector hi = ByteVector.fromMemorySegment(QUANTS, data, o + 18, ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < PARTS; p++) {
                int at = 32 * b + p * LANES;
                ((FloatVector) lo.convertShape(VectorOperators.B2F, FLOATS, p)).intoArray(quants, at);
                ((FloatVector) hi.convertShape(VectorOperators.B2F, FLOATS, p)).intoArray(quants, at + 16);
            }
        }
    }
}
