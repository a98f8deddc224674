package io.jllm.engine.quant.type;

import io.jllm.engine.quant.ActivationFormat;
import io.jllm.engine.quant.IntegerMatrix;
import io.jllm.engine.quant.Lanes;
import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.engine.quant.VectorWidth;
import io.jllm.gguf.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * What the integer views of stored 32-weight blocks share: the shape, its checks, and the vector species their
 * kernels use. The kernels unpack a block's 32 quants into two 128-bit byte vectors (weights 0..15 and 16..31)
 * and widen them, {@link #LANES} at a time ({@link #PARTS} parts), to 16-bit lanes that they multiply with the
 * activations {@link Q8Activations} keeps widened in row order. A lane adds two products (at most
 * 2 * 128 * 127, inside 16 bits); the parts' sums become floats exactly, and each block's sum is scaled by
 * {@code d_w * d_x} into a float accumulator, as llama.cpp's {@code ggml_vec_dot_*_q8_*} do. From
 * {@link #PANEL_VECTORS} vectors on (prompts) the same sums are taken in floats over rows unpacked once
 * ({@link #panel}). Each type writes its loops out in full: a shared loop calling a per-type unpack method would
 * make that call megamorphic, and a Vector API value passed through a call that is not inlined is boxed.
 */
abstract class StoredBlockView implements IntegerMatrix {
    static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    static final int LANES = FLOATS.length();
    /** 16-bit lanes, as many as there are float lanes. */
    static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class,
            VectorShape.forBitSize(FLOATS.vectorBitSize() / 2));
    /** 16 quants, one per byte lane. */
    static final VectorSpecies<Byte> QUANTS = ByteVector.SPECIES_128;
    /** Widened parts of {@link #LANES} quants in each half block of 16. */
    static final int PARTS = 16 / LANES;
    /** Vectors from which products go through {@link #panel}. */
    static final int PANEL_VECTORS = 4;
    /** A pair's second vector's slots in the kernels' buffer follow the first's four. */
    static final int SECOND = 4;
    /** Where the kernels' buffer keeps, after eight accumulators, each slot's term added after its lane sum. */
    static final int TERMS_AT = 8 * LANES;

    final MemorySegment data;
    final long rowBytes;
    final int blocks;
    private final int rows;
    private final int columns;
    private final ActivationFormat format;
    /** Whether products are added to the outputs (the trailing columns of a split matrix) instead of written. */
    private boolean adds;

    StoredBlockView(GgmlType type, int blockBytes, ActivationFormat format, MemorySegment data, int columns,
                    int rows) {
        this.rowBytes = Shapes.rowBytes(type, 32, blockBytes, data, columns, 0, rows);
        this.data = data;
        this.columns = columns;
        this.rows = rows;
        this.blocks = columns / 32;
        this.format = format;
    }

    /** This view, adding its products to the outputs instead of writing them. */
    final StoredBlockView adding() {
        adds = true;
        return this;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int columns() {
        return columns;
    }

    @Override
    public final ActivationFormat format() {
        return format;
    }

    @Override
    public final long byteSize() {
        return 0;
    }

    /**
     * {@code out[n][r] = dot(W[r], x[n])} for rows {@code [rowStart, rowEnd)}: four rows at a time, vectors two at a
     * time through the type's integer kernel ({@link #pair}, {@link #single}), whose accumulators are then summed
     * four at once ({@link Lanes#sumEach}); or, from {@link #PANEL_VECTORS} vectors on, through {@link #panel},
     * which gives the same bits.
     */
    @Override
    public final void multiply(QuantizedActivations activations, int rowStart, int rowEnd, float[][] out) {
        if (!(activations instanceof Q8Activations x) || (x.sums != null) != (format == ActivationFormat.Q8_1)) {
            throw new IllegalArgumentException("this matrix multiplies " + format + " activations, not "
                    + activations.getClass().getSimpleName());
        }
        Shapes.checkProduct(rows, columns, x, rowStart, rowEnd, out);
        int vectors = x.vectors();
        if (vectors >= PANEL_VECTORS) {
            panel(x, rowStart, rowEnd, out);
            return;
        }
        float[] lanes = new float[TERMS_AT + 8];
        for (int first = rowStart; first < rowEnd; first += 4) {
            int count = Math.min(4, rowEnd - first);
            int n = 0;
            for (; n + 1 < vectors; n += 2) {
                for (int i = 0; i < count; i++) {
                    pair(x, n, first + i, lanes, i);
                }
                store(lanes, 0, out[n], first, count);
                store(lanes, SECOND, out[n + 1], first, count);
            }
            if (n < vectors) {
                for (int i = 0; i < count; i++) {
                    single(x, n, first + i, lanes, i);
                }
                store(lanes, 0, out[n], first, count);
            }
        }
    }

    /**
     * Writes (or adds) {@code count} rows' results from {@code first} on: the lane sums of the accumulators in
     * slots {@code slot ..} plus the rows' terms.
     */
    private void store(float[] lanes, int slot, float[] out, int first, int count) {
        Lanes.sumEach(lanes, slot * LANES);
        for (int i = 0; i < count; i++) {
            out[first + i] = lanes[slot * LANES + i] + lanes[TERMS_AT + slot + i] + (adds ? out[first + i] : 0f);
        }
    }

    /**
     * Vectors {@code n} and {@code n + 1} times row {@code r}, each block unpacked once for both: leaves the
     * accumulators in {@code lanes} at slots {@code slot} and {@code slot + SECOND}, and each vector's term to add
     * after the lane sum (Q8_1 types: the minimums) at {@code TERMS_AT + slot} and {@code TERMS_AT + slot + SECOND}.
     */
    abstract void pair(Q8Activations x, int n, int r, float[] lanes, int slot);

    /** Vector {@code n} times row {@code r}, left in {@code lanes} as {@link #pair} leaves vector {@code n}. */
    abstract void single(Q8Activations x, int n, int r, float[] lanes, int slot);

    /**
     * Unpacks row {@code r}: its quants as the signed integers the kernels multiply (offsets applied, as floats,
     * in row order) into {@code quants}, each block's {@code d} into {@code scales}, and for Q8_1 types each
     * block's {@code m} into {@code mins}.
     */
    abstract void unpackRow(int r, float[] quants, float[] scales, float[] mins);

    /**
     * The products for many vectors (prompt prefill): each row unpacked once into floats, then multiplied with
     * every vector's quants as floats. The products and their per-lane sums are integers below 2^24, exact in
     * floats, and each lane adds the same weights as in the integer kernels, so the results are the same bits;
     * the floats just cost fewer instructions per vector than widening 8-bit values again for every pair.
     */
    private void panel(Q8Activations x, int rowStart, int rowEnd, float[][] out) {
        float[] quants = new float[columns];
        float[] scales = new float[blocks];
        float[] mins = format == ActivationFormat.Q8_1 ? new float[blocks] : null;
        float[] lanes = new float[4 * LANES];
        for (int r = rowStart; r < rowEnd; r++) {
            unpackRow(r, quants, scales, mins);
            for (int first = 0; first < x.vectors(); first += 4) {
                int count = Math.min(4, x.vectors() - first);
                for (int j = 0; j < count; j++) {
                    float[] values = x.values[first + j];
                    float[] xd = x.scales[first + j];
                    FloatVector acc = FloatVector.zero(FLOATS);
                    for (int b = 0; b < blocks; b++) {
                        FloatVector sum = FloatVector.zero(FLOATS);
                        for (int p = 0; p < PARTS; p++) {
                            int at = 32 * b + p * LANES;
                            sum = sum.add(FloatVector.fromArray(FLOATS, quants, at)
                                    .mul(FloatVector.fromArray(FLOATS, values, at))
                                    .add(FloatVector.fromArray(FLOATS, quants, at + 16)
                                            .mul(FloatVector.fromArray(FLOATS, values, at + 16))));
                        }
                        acc = sum.fma(FloatVector.broadcast(FLOATS, scales[b] * xd[b]), acc);
                    }
                    acc.intoArray(lanes, j * LANES);
                }
                Lanes.sumEach(lanes, 0);
                for (int j = 0; j < count; j++) {
                    float dot = lanes[j];
                    if (mins != null) {
                        float[] s = x.sums[first + j];
                        float minTerm = 0;
                        for (int b = 0; b < blocks; b++) {
                            minTerm += mins[b] * s[b];
                        }
                        dot += minTerm;
                    }
                    out[first + j][r] = dot + (adds ? out[first + j][r] : 0f);
                }
            }
        }
    }
}
