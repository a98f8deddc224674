package io.jllm.bench.throughput;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The ids must be the ones bench/scripts/llamacpp_bench.py feeds llama.cpp. */
class BenchTokensTest {

    @Test
    void idsFollowTheFormulaTheLlamaCppScriptUses() {
        // python3: [(1000 + 7919 * i) % 512 for i in range(6)], and % 128256 (the Llama 3 vocabulary)
        assertThat(BenchTokens.ids(6, 512)).containsExactly(488, 215, 454, 181, 420, 147);
        assertThat(BenchTokens.ids(4, 128256)).containsExactly(1000, 8919, 16838, 24757);
    }

    @Test
    void longRunsStayInsideTheVocabulary() {
        assertThat(Arrays.stream(BenchTokens.ids(100_000, 151_936)).boxed().toList()).allSatisfy(id -> assertThat(id).isBetween(0, 151_935));
    }
}
