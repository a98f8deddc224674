package io.jllm.engine.quant.type;

import io.jllm.engine.quant.Kernels;
import io.jllm.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlockLayoutTest {

    @Test
    void everyBlockKernelsLayoutAgreesWithGgmlType() {
        int checked = 0;
        for (GgmlType type : GgmlType.values()) {
            if (Kernels.find(type).orElse(null) instanceof DecodingKernel kernel) {
                assertThat(kernel.blockSize()).as("%s weights per block", type).isEqualTo(type.blockSize());
                assertThat(kernel.blockBytes()).as("%s bytes per block", type).isEqualTo(type.blockBytes());
                checked++;
            }
        }
        assertThat(checked).as("block kernels checked").isEqualTo(14);
    }

}
