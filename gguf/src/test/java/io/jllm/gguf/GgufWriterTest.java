package io.jllm.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufWriterTest {

    @TempDir
    Path dir;

    @Nested
    class RoundTrip {

        @ParameterizedTest(name = "alignment {0}")
        @ValueSource(ints = {1, 32, 64, 4096})
        void everyValueTypeAndTensorTypeReadsBackUnchanged(int alignment) throws IOException {
            SampleGguf sample = new SampleGguf(alignment);
            Path file = dir.resolve("sample.gguf");
            sample.writer.write(file);

            try (GgufFile gguf = GgufFile.open(file)) {
                assertThat(gguf.version()).isEqualTo(3);
                assertThat(gguf.alignment()).isEqualTo(alignment);
                assertThat(gguf.metadata().asMap()).containsExactlyEntriesOf(sample.metadata);
                assertThat(gguf.tensors()).containsExactlyElementsOf(sample.writer.tensors());
                assertThat(gguf.dataOffset()).isEqualTo(sample.writer.dataOffset());
                for (TensorInfo t : gguf.tensors()) {
                    assertThat(gguf.tensorData(t).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                            .as(t.name()).isEqualTo(sample.data.get(t.name()));
                }
            }
        }

        @Test
        void tensorsStartAtAlignedOffsetsInTheOrderTheyWereAdded() {
            SampleGguf sample = new SampleGguf(64);
            List<TensorInfo> tensors = sample.writer.tensors();
            assertThat(sample.writer.dataOffset() % 64).isZero();
            long end = 0;
            for (TensorInfo t : tensors) {
                assertThat(t.offset() % 64).as(t.name()).isZero();
                assertThat(t.offset()).as(t.name()).isGreaterThanOrEqualTo(end).isLessThan(end + 64);
                end = t.offset() + t.byteSize();
            }
            assertThat(tensors).extracting(TensorInfo::name).startsWith("plain.f32", "plain.f16").endsWith("streamed.f32");
        }

        @Test
        void theFileEndsPaddedToTheAlignmentLikeLlamaCppWritesIt() throws IOException {
            SampleGguf sample = new SampleGguf(32);
            byte[] file = write(sample.writer);
            TensorInfo last = sample.writer.tensors().getLast();
            long end = sample.writer.dataOffset() + last.offset() + last.byteSize();
            assertThat((long) file.length).isEqualTo(GgufReader.alignUp(end, 32));
        }

        @Test
        void aFileWithoutTensorsOrMetadataIsJustTheHeader() throws IOException {
            byte[] file = write(new GgufWriter());
            assertThat(file).hasSize(32);
            GgufFile gguf = GgufFile.of(MemorySegment.ofArray(file));
            assertThat(gguf.tensors()).isEmpty();
            assertThat(gguf.metadata().keys()).isEmpty();
        }
    }

    @Nested
    class ValidationOnAdd {
        final GgufWriter writer = new GgufWriter();

        @Test
        void aKeyCanBeSetOnlyOnce() {
            writer.putUint32("a.b", 1);
            assertThatThrownBy(() -> writer.putString("a.b", "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a.b' is already set");
        }

        @Test
        void integersMustFitTheirType() {
            assertThatThrownBy(() -> writer.put("k", GgufValueType.UINT8, 256L))
                    .hasMessageContaining("256 is outside the UINT8 range [0, 255]");
            assertThatThrownBy(() -> writer.put("k", GgufValueType.INT16, -32769L))
                    .hasMessageContaining("outside the INT16 range");
            assertThatThrownBy(() -> writer.put("k", GgufValueType.UINT32, -1L))
                    .hasMessageContaining("outside the UINT32 range");
            assertThatThrownBy(() -> writer.putArray("k", new GgufArray(GgufValueType.INT8, new long[] {1, 200})))
                    .hasMessageContaining("200 is outside the INT8 range");
            assertThat(writer.tensors()).isEmpty();
        }

        @Test
        void valuesMustHaveTheirTypesJavaClass() {
            assertThatThrownBy(() -> writer.put("k", GgufValueType.UINT32, 5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a Long");
        }

        @Test
        void stringsMustBeEncodableAsUtf8() {
            assertThatThrownBy(() -> writer.putString("k", "broken \uD800 surrogate"))
                    .hasMessageContaining("unpaired surrogate at index 7");
            assertThatThrownBy(() -> writer.putString("\uDC00", "v")).hasMessageContaining("metadata key");
        }

        @Test
        void arraysNestAtMostAsDeepAsTheReaderAccepts() {
            GgufArray deep = new GgufArray(GgufValueType.INT32, new long[] {1});
            for (int i = 1; i < GgufReader.MAX_ARRAY_DEPTH; i++) {
                deep = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {deep});
            }
            writer.putArray("ok", deep);
            GgufArray tooDeep = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {deep});
            assertThatThrownBy(() -> writer.putArray("too.deep", tooDeep)).hasMessageContaining("nested deeper than 8");
        }

        @Test
        void alignmentMustBeAUint32PowerOfTwo() {
            assertThatThrownBy(() -> writer.alignment(48)).hasMessageContaining("power of two");
            assertThatThrownBy(() -> writer.alignment(0)).hasMessageContaining("power of two");
            assertThatThrownBy(() -> writer.put(GgufReader.ALIGNMENT_KEY, GgufValueType.UINT64, 32L))
                    .hasMessageContaining("must be UINT32");
            writer.alignment(128);
            assertThat(writer.alignment()).isEqualTo(128);
        }

        @Test
        void aTensorNameCanBeUsedOnlyOnce() {
            writer.addTensor("w", GgmlType.F32, new long[] {2}, MemorySegment.ofArray(new float[2]));
            assertThatThrownBy(() -> writer.addTensor("w", GgmlType.F32, new long[] {2}, MemorySegment.ofArray(new float[2])))
                    .hasMessageContaining("tensor 'w' is already added");
        }

        @Test
        void tensorNamesAreAtMost63Utf8Bytes() {
            writer.addTensor("n".repeat(63), GgmlType.F32, new long[] {1}, MemorySegment.ofArray(new float[1]));
            assertThatThrownBy(() -> writer.addTensor("n".repeat(64), GgmlType.F32, new long[] {1},
                    MemorySegment.ofArray(new float[1]))).hasMessageContaining("1 to 63 UTF-8 bytes, has 64");
            assertThatThrownBy(() -> writer.addTensor("", GgmlType.F32, new long[] {1},
                    MemorySegment.ofArray(new float[1]))).hasMessageContaining("has 0");
        }

        @Test
        void dataMustHaveExactlyTheBytesTheTypeAndShapeNeed() {
            assertThatThrownBy(() -> writer.addTensor("q", GgmlType.Q8_0, new long[] {64, 2},
                    MemorySegment.ofArray(new byte[135])))
                    .hasMessageContaining("Q8_0 [64, 2] takes 136 bytes, but the data has 135");
        }

        @Test
        void rowsMustBeWholeBlocks() {
            assertThatThrownBy(() -> writer.addTensor("q", GgmlType.Q4_K, new long[] {128, 2}, channel -> { }))
                    .hasMessageContaining("row length 128 is not a multiple of the Q4_K block size 256");
        }

        @Test
        void shapesHaveOneToFourNonNegativeDimensionsWhoseProductFits() {
            assertThatThrownBy(() -> writer.addTensor("t", GgmlType.F32, new long[0], channel -> { }))
                    .hasMessageContaining("1 to 4 dimensions, has 0");
            assertThatThrownBy(() -> writer.addTensor("t", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, channel -> { }))
                    .hasMessageContaining("has 5");
            assertThatThrownBy(() -> writer.addTensor("t", GgmlType.F32, new long[] {-1}, channel -> { }))
                    .hasMessageContaining("negative dimension");
            assertThatThrownBy(() -> writer.addTensor("t", GgmlType.F32, new long[] {1L << 32, 1L << 32}, channel -> { }))
                    .isInstanceOf(ArithmeticException.class);
        }

        @Test
        void removedTypesCannotBeWritten() {
            assertThatThrownBy(() -> writer.addTensor("t", GgmlType.Q4_2, new long[] {32}, channel -> { }))
                    .hasMessageContaining("Q4_2 was removed from ggml");
        }

        @Test
        void aDataSourceMustWriteExactlyTheTensorsSize() {
            GgufWriter few = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {4},
                    channel -> channel.write(ByteBuffer.allocate(12)));
            assertThatThrownBy(() -> write(few)).hasMessageContaining("data source wrote 12 bytes, the tensor has 16");
            GgufWriter many = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {4},
                    channel -> channel.write(ByteBuffer.allocate(20)));
            assertThatThrownBy(() -> write(many)).hasMessageContaining("wrote more than the tensor's 16 bytes");
        }

        @Test
        void aFailedWriteLeavesNoFileBehind() {
            Path file = dir.resolve("partial.gguf");
            GgufWriter failing = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {4}, channel -> {
                throw new IOException("disk on fire");
            });
            assertThatThrownBy(() -> failing.write(file)).hasMessage("disk on fire");
            assertThat(Files.exists(file)).isFalse();
        }
    }

    static byte[] write(GgufWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(Channels.newChannel(out));
        return out.toByteArray();
    }
}
