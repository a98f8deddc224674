package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Lanes;
import io.jllm.engine.quant.MatMulKernel;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * F32: plain little-endian IEEE-754 floats, 4 bytes per weight, no blocks.
 */
public final class F32 implements MatMulKernel {
    public static final F32 INSTANCE = new F32();

    private static final VectorSpecies<Float> SPECIES = Blocks.FLOATS;
    private static final ValueLayout.OfFloat FLOAT = Blocks.FLOAT_LE;

    private F32() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void multiply(MemorySegment weights, int rowLength, int rowStart, int rowEnd, float[][] x, float[][] out) {
        Shapes.rowBytes(GgmlType.F32, 1, Float.BYTES, weights, rowLength, rowStart, rowEnd);
        Shapes.checkVectors(x, out, rowLength, rowEnd);
        int upper = SPECIES.loopBound(rowLength);
        for (int r = rowStart; r < rowEnd; r++) {
            long rowOffset = (long) r * rowLength * Float.BYTES;
            for (int n = 0; n < x.length; n++) {
                float[] xn = x[n];
                FloatVector acc = FloatVector.zero(SPECIES);
                int i = 0;
                for (; i < upper; i += SPECIES.length()) {
                    FloatVector w = FloatVector.fromMemorySegment(SPECIES, weights, rowOffset + (long) i * Float.BYTES,
                            ByteOrder.LITTLE_ENDIAN);
                    acc = w.fma(FloatVector.fromArray(SPECIES, xn, i), acc);
                }
                float sum = Lanes.sum(acc);
                for (; i < rowLength; i++) {
                    sum += weights.get(FLOAT, rowOffset + (long) i * Float.BYTES) * xn[i];
                }
                out[n][r] = sum;
            }
        }
    }

    @Override
    public void dequantizeRow(MemorySegment weights, int rowLength, int row, float[] dst) {
        Shapes.rowBytes(GgmlType.F32, 1, Float.BYTES, weights, rowLength, row, row + 1);
        Shapes.checkDestination(dst, rowLength);
        MemorySegment.copy(weights, FLOAT, (long) row * rowLength * Float.BYTES, dst, 0, rowLength);
    }
}
