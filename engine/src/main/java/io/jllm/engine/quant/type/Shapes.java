package io.jllm.engine.quant.type;

import io.jllm.engine.quant.QuantizedActivations;
import io.jllm.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/** The argument checks every kernel makes before touching memory, so a wrong shape is named, not a crash. */
final class Shapes {
    private Shapes() {
    }

    /** Bytes per row, after checking that rows {@code [rowStart, rowEnd)} of this length lie in the matrix. */
    static long rowBytes(GgmlType type, int blockSize, int blockBytes, MemorySegment weights, int rowLength,
                         int rowStart, int rowEnd) {
        if (rowLength <= 0 || rowLength % blockSize != 0) {
            throw new IllegalArgumentException(type + " rows hold whole blocks of " + blockSize
                    + " weights, but the row length is " + rowLength);
        }
        if (rowStart < 0 || rowStart > rowEnd) {
            throw new IllegalArgumentException("bad row range [" + rowStart + ", " + rowEnd + ")");
        }
        long rowBytes = (long) (rowLength / blockSize) * blockBytes;
        if (weights.byteSize() < rowEnd * rowBytes) {
            throw new IllegalArgumentException(type + " matrix of " + weights.byteSize() + " bytes has fewer than "
                    + rowEnd + " rows of " + rowLength + " weights (" + rowBytes + " bytes each)");
        }
        return rowBytes;
    }

    /** Checks that {@code columns} is a whole, nonzero number of blocks of 32 within a row of {@code rowLength}. */
    static void checkLeading(GgmlType type, int columns, int rowLength) {
        if (columns <= 0 || columns > rowLength || columns % 32 != 0) {
            throw new IllegalArgumentException("the leading " + columns + " columns of " + type + " rows of "
                    + rowLength + " are not whole blocks of 32 within the row");
        }
    }

    /** Checks that every activation vector covers a row and every output reaches {@code rowEnd}. */
    static void checkVectors(float[][] x, float[][] out, int rowLength, int rowEnd) {
        if (x.length != out.length) {
            throw new IllegalArgumentException(x.length + " activation vectors but " + out.length + " outputs");
        }
        for (int n = 0; n < x.length; n++) {
            if (x[n].length < rowLength) {
                throw new IllegalArgumentException("activation vector " + n + " holds " + x[n].length
                        + " floats, the rows " + rowLength);
            }
            if (out[n].length < rowEnd) {
                throw new IllegalArgumentException("output " + n + " holds " + out[n].length
                        + " floats, the rows go up to " + rowEnd);
            }
        }
    }

    /**
     * Checks an integer product of rows {@code [rowStart, rowEnd)} of a {@code rows} x {@code columns} matrix:
     * the range lies in the matrix, the activations have {@code columns} values, and every output reaches
     * {@code rowEnd}.
     */
    static void checkProduct(int rows, int columns, QuantizedActivations x, int rowStart, int rowEnd,
                             float[][] out) {
        if (rowStart < 0 || rowStart > rowEnd || rowEnd > rows) {
            throw new IllegalArgumentException("bad row range [" + rowStart + ", " + rowEnd + ") of " + rows + " rows");
        }
        if (x.columns() != columns) {
            throw new IllegalArgumentException("activations of " + x.columns() + " values for rows of " + columns);
        }
        if (out.length < x.vectors()) {
            throw new IllegalArgumentException(x.vectors() + " activation vectors but " + out.length + " outputs");
        }
        for (int n = 0; n < x.vectors(); n++) {
            if (out[n].length < rowEnd) {
                throw new IllegalArgumentException("output " + n + " holds " + out[n].length
                        + " floats, the rows go up to " + rowEnd);
            }
        }
    }

    static void checkDestination(float[] dst, int rowLength) {
        if (dst.length < rowLength) {
            throw new IllegalArgumentException("destination holds " + dst.length + " floats, the row " + rowLength);
        }
    }
}
