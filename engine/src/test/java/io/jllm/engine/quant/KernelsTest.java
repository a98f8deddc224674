package io.jllm.engine.quant;

import io.jllm.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelsTest {

    /** The types jllm promises to compute with. */
    static final Set<GgmlType> SUPPORTED = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K,
            GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.IQ4_NL, GgmlType.IQ4_XS);

    @Test
    void everySupportedTypeHasAKernelForThatType() {
        for (GgmlType type : GgmlType.values()) {
            if (SUPPORTED.contains(type)) {
                assertThat(Kernels.find(type)).as("kernel for %s", type).hasValueSatisfying(
                        kernel -> assertThat(kernel.type()).isEqualTo(type));
            } else {
                assertThat(Kernels.find(type)).as("kernel for %s", type).isEmpty();
            }
        }
    }

    @Test
    void anUnsupportedTypeIsNamedWithTheSupportedList() {
        assertThatThrownBy(() -> Kernels.forType(GgmlType.IQ2_XXS))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("IQ2_XXS")
                .hasMessageContaining("Q4_K")
                .hasMessageContaining("IQ4_XS");
    }
}
