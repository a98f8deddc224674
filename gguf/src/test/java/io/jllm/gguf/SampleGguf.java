package io.jllm.gguf;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A GGUF file that exercises the whole format: a value of every metadata type at its extremes, arrays of every
 * element type (empty ones and nested ones included), strings with escapes and non-BMP characters, a custom
 * alignment, and tensors of plain and block-quantized types with sizes that force padding, one of them
 * supplied through a {@link GgufWriter.DataSource}. Tensor bytes are seeded random, kept here so tests can
 * compare what comes back.
 */
final class SampleGguf {
    final GgufWriter writer = new GgufWriter();
    final Map<String, MetadataValue> metadata = new LinkedHashMap<>();
    final Map<String, byte[]> data = new LinkedHashMap<>();

    SampleGguf(int alignment) {
        put(GgufReader.ALIGNMENT_KEY, GgufValueType.UINT32, (long) alignment);
        put("general.architecture", GgufValueType.STRING, "sample");
        put("test.uint8", GgufValueType.UINT8, 255L);
        put("test.int8", GgufValueType.INT8, -128L);
        put("test.uint16", GgufValueType.UINT16, 65535L);
        put("test.int16", GgufValueType.INT16, -32768L);
        put("test.uint32", GgufValueType.UINT32, 4294967295L);
        put("test.int32", GgufValueType.INT32, (long) Integer.MIN_VALUE);
        put("test.uint64", GgufValueType.UINT64, -1L);
        put("test.int64", GgufValueType.INT64, Long.MIN_VALUE);
        put("test.float32", GgufValueType.FLOAT32, 1e-5f);
        put("test.float32.negative_zero", GgufValueType.FLOAT32, -0.0f);
        put("test.float32.infinity", GgufValueType.FLOAT32, Float.NEGATIVE_INFINITY);
        put("test.float32.subnormal", GgufValueType.FLOAT32, Float.MIN_VALUE);
        put("test.float64", GgufValueType.FLOAT64, Math.PI);
        put("test.bool.true", GgufValueType.BOOL, true);
        put("test.bool.false", GgufValueType.BOOL, false);
        put("test.string", GgufValueType.STRING, "quote \" backslash \\ tab \t newline \n ä € 😀 \u0001");
        put("test.string.empty", GgufValueType.STRING, "");
        put("test.ключ.😀", GgufValueType.STRING, "non-ASCII key");
        array("test.array.uint8", GgufValueType.UINT8, new long[] {0, 1, 255});
        array("test.array.int8", GgufValueType.INT8, new long[] {-128, 0, 127});
        array("test.array.uint16", GgufValueType.UINT16, new long[] {0, 65535});
        array("test.array.int16", GgufValueType.INT16, new long[] {-32768, 32767});
        array("test.array.uint32", GgufValueType.UINT32, new long[] {0, 4294967295L});
        array("test.array.int32", GgufValueType.INT32, new long[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE});
        array("test.array.uint64", GgufValueType.UINT64, new long[] {0, -1L, Long.MAX_VALUE});
        array("test.array.int64", GgufValueType.INT64, new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
        array("test.array.float32", GgufValueType.FLOAT32, new float[] {0.5f, -3.25e38f, Float.NaN});
        array("test.array.float64", GgufValueType.FLOAT64, new double[] {Double.MIN_VALUE, -1e300});
        array("test.array.bool", GgufValueType.BOOL, new boolean[] {true, false, true});
        array("test.array.string", GgufValueType.STRING, new String[] {"", "a", "▁the", "<0x0A>", "你好"});
        array("test.array.empty", GgufValueType.INT32, new long[0]);
        array("test.array.long", GgufValueType.INT32, sequence(100));
        array("test.array.nested", GgufValueType.ARRAY, new GgufArray[] {
            new GgufArray(GgufValueType.INT32, new long[] {1, 2, 3}),
            new GgufArray(GgufValueType.INT32, new long[0]),
            new GgufArray(GgufValueType.INT32, new long[] {-4})});
        array("test.array.nested.mixed", GgufValueType.ARRAY, new GgufArray[] {
            new GgufArray(GgufValueType.STRING, new String[] {"x", "yz"}),
            new GgufArray(GgufValueType.FLOAT32, new float[] {1.5f}),
            new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                new GgufArray(GgufValueType.BOOL, new boolean[] {false})})});

        Random random = new Random(42);
        tensor(random, "plain.f32", GgmlType.F32, 7, 3);
        tensor(random, "plain.f16", GgmlType.F16, 33);
        tensor(random, "plain.bf16", GgmlType.BF16, 4, 2, 2);
        tensor(random, "plain.i32", GgmlType.I32, 5);
        tensor(random, "blk.0.q8_0", GgmlType.Q8_0, 64, 2);
        tensor(random, "blk.0.q4_0.4d", GgmlType.Q4_0, 32, 1, 1, 2);
        tensor(random, "blk.0.q4_k", GgmlType.Q4_K, 256, 3);
        tensor(random, "blk.0.q6_k", GgmlType.Q6_K, 512);
        tensor(random, "blk.0.iq4_nl", GgmlType.IQ4_NL, 96);
        tensor(random, "empty", GgmlType.F32, 0);
        byte[] streamed = bytes(random, GgmlType.F32.bytesFor(300));
        data.put("streamed.f32", streamed);
        writer.addTensor("streamed.f32", GgmlType.F32, new long[] {300}, channel -> {
            for (int i = 0; i < streamed.length; i += 100) {
                channel.write(ByteBuffer.wrap(streamed, i, Math.min(100, streamed.length - i)));
            }
        });
    }

    private void put(String key, GgufValueType type, Object value) {
        metadata.put(key, MetadataValue.of(type, value));
        writer.put(key, type, value);
    }

    private void array(String key, GgufValueType elementType, Object elements) {
        put(key, GgufValueType.ARRAY, new GgufArray(elementType, elements));
    }

    private void tensor(Random random, String name, GgmlType type, long... shape) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        byte[] bytes = bytes(random, type.bytesFor(elements));
        data.put(name, bytes);
        writer.addTensor(name, type, shape, MemorySegment.ofArray(bytes));
    }

    private static byte[] bytes(Random random, long n) {
        byte[] b = new byte[(int) n];
        random.nextBytes(b);
        return b;
    }

    private static long[] sequence(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * 7L - 300;
        }
        return a;
    }

    /** The canonical dump derived from what was given to the writer (not from reading the file back). */
    String expectedDump(boolean listing) {
        List<TensorInfo> tensors = writer.tensors();
        return CanonicalDump.toText(CanonicalDump.of(GgufWriter.VERSION, writer.alignment(), writer.dataOffset(),
                metadata, tensors, t -> MemorySegment.ofArray(data.get(t.name())), listing));
    }
}
