package io.jllm.engine.model;

import io.jllm.engine.quant.type.Q8_0Activations;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MatrixTest {
    /** Columns per block group of the repacked layout at this JVM's vector width (128 to 512 at 512 bits). */
    private static final int GROUP = Q8_0Activations.GROUP_COLUMNS;

    @Test
    void matricesRepackUnlessPaddingWouldWasteMuchMemory() {
        assertThat(Matrix.repacksWithoutWaste(4 * GROUP, 128256)).as("whole groups: no padding").isTrue();
        assertThat(Matrix.repacksWithoutWaste(256, 512)).as("tiny fixture: at most doubled, but small").isTrue();
        assertThat(Matrix.repacksWithoutWaste(GROUP + 32, 262144))
                .as("one block past a group, 262k rows: almost doubled, and large").isFalse();
        assertThat(Matrix.repacksWithoutWaste(8 * GROUP + 32, 262144))
                .as("one block past eight groups: padding under an eighth").isTrue();
    }

    @Test
    void rowsWithAFewTrailingBlocksSplitInsteadOfPadding() {
        assertThat(Matrix.splitsBetterThanPadded(GROUP + 32)).as("one block past a group").isTrue();
        assertThat(Matrix.splitsBetterThanPadded(4 * GROUP + 64)).as("two blocks past four groups").isEqualTo(GROUP > 128);
        assertThat(Matrix.splitsBetterThanPadded(2 * GROUP - 32)).as("a tail of all but one block: pad it").isFalse();
        assertThat(Matrix.splitsBetterThanPadded(4 * GROUP)).as("whole groups: nothing to split").isFalse();
        assertThat(Matrix.splitsBetterThanPadded(GROUP / 2)).as("less than one group: nothing to repack").isFalse();
    }
}
