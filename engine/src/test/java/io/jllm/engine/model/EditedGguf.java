package io.jllm.engine.model;

import io.jllm.gguf.GgmlType;
import io.jllm.gguf.GgufFile;
import io.jllm.gguf.GgufValueType;
import io.jllm.gguf.MetadataValue;
import io.jllm.gguf.TensorInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of a fixture model with chosen changes (a metadata value, a tensor dropped, reshaped or retyped),
 * written as GGUF v3, to check that loading names the broken part. Array metadata (the vocabulary) is left
 * out: the forward pass does not read it.
 */
final class EditedGguf {
    private static final int ALIGNMENT = 32;

    private record Tensor(String name, long[] shape, GgmlType type, byte[] data) {
    }

    private final Map<String, MetadataValue> metadata = new LinkedHashMap<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    EditedGguf(Path source) throws IOException {
        try (GgufFile file = GgufFile.open(source)) {
            file.metadata().asMap().forEach((key, value) -> {
                if (value.type() != GgufValueType.ARRAY) {
                    metadata.put(key, value);
                }
            });
            for (TensorInfo t : file.tensors()) {
                tensors.put(t.name(), new Tensor(t.name(), t.shape(), t.type(),
                        file.tensorData(t).toArray(ValueLayout.JAVA_BYTE)));
            }
        }
    }

    EditedGguf set(String key, GgufValueType type, Object value) {
        metadata.put(key, MetadataValue.of(type, value));
        return this;
    }

    EditedGguf remove(String key) {
        metadata.remove(key);
        return this;
    }

    EditedGguf removeTensor(String name) {
        tensors.remove(name);
        return this;
    }

    /** Replaces a tensor's shape and type, with zero bytes of the matching size as data. */
    EditedGguf replaceTensor(String name, GgmlType type, long... shape) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        tensors.put(name, new Tensor(name, shape, type, new byte[(int) (elements / type.blockSize() * type.blockBytes())]));
        return this;
    }

    /** Adds (or replaces) a 1-D F32 tensor. */
    EditedGguf putVector(String name, float... values) {
        ByteBuffer data = le(4 * values.length);
        for (float v : values) {
            data.putFloat(v);
        }
        tensors.put(name, new Tensor(name, new long[] {values.length}, GgmlType.F32, data.array()));
        return this;
    }

    Path writeTo(Path path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(8).putInt(0x46554747).putInt(3).array());
        out.writeBytes(le(16).putLong(tensors.size()).putLong(metadata.size()).array());
        metadata.forEach((key, value) -> {
            string(out, key);
            out.writeBytes(le(4).putInt(value.type().id()).array());
            out.writeBytes(scalar(value));
        });
        List<Tensor> list = new ArrayList<>(tensors.values());
        long offset = 0;
        for (Tensor t : list) {
            string(out, t.name());
            out.writeBytes(le(4).putInt(t.shape().length).array());
            for (long d : t.shape()) {
                out.writeBytes(le(8).putLong(d).array());
            }
            out.writeBytes(le(12).putInt(t.type().id()).putLong(offset).array());
            offset += padded(t.data().length);
        }
        out.writeBytes(new byte[padded(out.size()) - out.size()]);
        for (Tensor t : list) {
            out.writeBytes(t.data());
            out.writeBytes(new byte[padded(t.data().length) - t.data().length]);
        }
        return Files.write(path, out.toByteArray());
    }

    private static byte[] scalar(MetadataValue v) {
        return switch (v.type()) {
            case UINT8, INT8, BOOL -> new byte[] {v.value() instanceof Boolean b ? (byte) (b ? 1 : 0)
                    : ((Long) v.value()).byteValue()};
            case UINT16, INT16 -> le(2).putShort(((Long) v.value()).shortValue()).array();
            case UINT32, INT32 -> le(4).putInt(((Long) v.value()).intValue()).array();
            case UINT64, INT64 -> le(8).putLong((Long) v.value()).array();
            case FLOAT32 -> le(4).putFloat((Float) v.value()).array();
            case FLOAT64 -> le(8).putDouble((Double) v.value()).array();
            case STRING -> {
                ByteArrayOutputStream s = new ByteArrayOutputStream();
                string(s, (String) v.value());
                yield s.toByteArray();
            }
            case ARRAY -> throw new IllegalArgumentException("arrays are not copied");
        };
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(le(8).putLong(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static int padded(int n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
