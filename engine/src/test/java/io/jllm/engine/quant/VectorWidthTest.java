package io.jllm.engine.quant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VectorWidthTest {

    @Test
    void kernelsRunAtTheRequestedWidth() {
        String requested = System.getProperty(VectorWidth.PROPERTY);
        int expected = requested == null ? Math.min(512, jdk.incubator.vector.FloatVector.SPECIES_PREFERRED
                .vectorBitSize()) : Integer.parseInt(requested);
        assertThat(VectorWidth.FLOATS.vectorBitSize()).isEqualTo(expected);
    }

    @Test
    void withoutARequestTheWidestNativeWidthUpTo512BitsIsUsed() {
        assertThat(VectorWidth.choose(null, 256)).isEqualTo(256);
        assertThat(VectorWidth.choose(null, 512)).isEqualTo(512);
        assertThat(VectorWidth.choose("", 1024)).isEqualTo(512);
    }

    @Test
    void aNarrowerWidthCanBeRequested() {
        assertThat(VectorWidth.choose("128", 512)).isEqualTo(128);
        assertThat(VectorWidth.choose("256", 512)).isEqualTo(256);
    }

    @Test
    void aWidthTheCpuCannotRunIsRefusedRatherThanEmulated() {
        assertThatThrownBy(() -> VectorWidth.choose("512", 256))
                .hasMessageContaining("jllm.vector.bits=512").hasMessageContaining("256-bit");
    }

    @Test
    void onlyTheThreeX86WidthsAreAccepted() {
        assertThatThrownBy(() -> VectorWidth.choose("64", 512)).hasMessageContaining("use 128, 256 or 512");
        assertThatThrownBy(() -> VectorWidth.choose("wide", 512)).hasMessageContaining("is not a number");
    }
}
