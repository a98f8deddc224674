package io.jllm.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a multi-gigabyte file maps it without reading it: it takes well under a second and the heap hardly
 * grows. The file is sparse (header written, length set), so the test needs no real disk space beyond the
 * header, but it asks for the full size to be free in case the file system does not support sparse files.
 */
class LargeFileTest {
    private static final long ELEMENTS = 640L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aTwoAndAHalfGigabyteFileOpensInUnderASecondWithoutFillingTheHeap() throws IOException {
        GgufWriter writer = new GgufWriter().putString("general.architecture", "large")
                .addTensor("big.weight", GgmlType.F32, new long[] {ELEMENTS / 1024, 1024},
                        channel -> fail("the test places the data by setting the file length"));
        long size = writer.dataOffset() + GgmlType.F32.bytesFor(ELEMENTS);
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < size) {
            fail("LargeFileTest needs " + size + " bytes free in " + dir + " (has " + free
                    + "); point -Djava.io.tmpdir at a larger file system");
        }
        Path file = dir.resolve("large.gguf");
        try {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.writeHeader(channel);
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(size);
            }
            assertThat(size).isGreaterThan(2_500_000_000L);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();
            long start = System.nanoTime();
            try (GgufFile gguf = GgufFile.open(file)) {
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.gc();
                long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;

                assertThat(took).as("time to open").isLessThan(Duration.ofMillis(500));
                assertThat(heapGrowth).as("heap growth in bytes").isLessThan(4L << 20);
                assertThat(gguf.byteSize()).isEqualTo(size);
                assertThat(gguf.tensorData("big.weight").byteSize()).isEqualTo(ELEMENTS * 4);
                assertThat(gguf.tensorData("big.weight").get(java.lang.foreign.ValueLayout.JAVA_BYTE, ELEMENTS * 4 - 1))
                        .isZero();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
