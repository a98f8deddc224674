package io.jllm.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentWindowTest {
    private final byte[] content = new byte[300_000];
    private final MemorySegment segment = MemorySegment.ofArray(content);
    private final SegmentWindow window = new SegmentWindow(segment);

    SegmentWindowTest() {
        new SplittableRandom(3).nextBytes(content);
    }

    @Test
    void loadsAnyStretchInsideTheSegmentWhateverTheOrderAndLength() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 2_000; trial++) {
            int n = random.nextInt(10) == 0 ? 70_000 + random.nextInt(100_000) : random.nextInt(200);
            int at = random.nextInt(content.length - n + 1);
            int from = window.load(at, n);
            assertThat(Arrays.copyOfRange(window.bytes(), from, from + n))
                    .isEqualTo(Arrays.copyOfRange(content, at, at + n));
        }
    }

    @Test
    void readsLittleEndianLongsLikeTheSegmentDoes() {
        ValueLayout.OfLong littleEndian = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int at : new int[] {0, 1, 65_533, 65_536, content.length - 8}) {
            assertThat(window.longAt(window.load(at, 8))).isEqualTo(segment.get(littleEndian, at));
        }
    }

    @Test
    void stopsAtTheEndOfTheSegment() {
        int from = window.load(content.length - 3, 3);
        assertThat(Arrays.copyOfRange(window.bytes(), from, from + 3))
                .isEqualTo(Arrays.copyOfRange(content, content.length - 3, content.length));
    }
}
