package io.jllm.gguf;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Java side of {@code src/test/python/dump_gguf.py}: builds the same canonical tree from Java values and
 * prints it exactly as Python's {@code json.dumps(indent=1, ensure_ascii=True)} does, so a test compares
 * the two texts and a failure shows a readable diff. See the script for the format.
 */
final class CanonicalDump {
    private static final int LISTING_FULL_ARRAY_MAX = 16;
    private static final int LISTING_FIRST = 4;

    private CanonicalDump() {
    }

    /** The canonical tree; {@code data} gives each tensor's bytes (for the SHA-256). */
    static Map<String, Object> of(int version, int alignment, long dataOffset, Map<String, MetadataValue> metadata,
            List<TensorInfo> tensors, Function<TensorInfo, MemorySegment> data, boolean listing) {
        List<Object> kvs = new ArrayList<>();
        metadata.forEach((key, v) -> {
            Map<String, Object> kv = new LinkedHashMap<>();
            kv.put("key", key);
            kv.put("type", v.type().name());
            kv.put("value", value(v.type(), v.value(), listing));
            kvs.add(kv);
        });
        List<Object> infos = new ArrayList<>();
        for (TensorInfo t : tensors) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("name", t.name());
            info.put("type", t.type().name());
            List<Object> shape = new ArrayList<>();
            for (long d : t.shape()) {
                shape.add(d);
            }
            info.put("shape", shape);
            info.put("offset", t.offset());
            info.put("bytes", t.byteSize());
            info.put("sha256", sha256(data.apply(t)));
            infos.add(info);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", (long) version);
        root.put("alignment", (long) alignment);
        root.put("data_offset", dataOffset);
        root.put("metadata", kvs);
        root.put("tensors", infos);
        return root;
    }

    /** The canonical tree of a parsed file. */
    static Map<String, Object> of(GgufFile file, boolean listing) {
        return of(file.version(), file.alignment(), file.dataOffset(), file.metadata().asMap(), file.tensors(),
                file::tensorData, listing);
    }

    static Object value(GgufValueType type, Object value, boolean listing) {
        return switch (type) {
            case UINT64 -> new BigInteger(Long.toUnsignedString((Long) value));
            case FLOAT32 -> String.format("0x%08x", Float.floatToRawIntBits((Float) value));
            case FLOAT64 -> String.format("0x%016x", Double.doubleToRawLongBits((Double) value));
            case ARRAY -> array((GgufArray) value, listing);
            default -> value;
        };
    }

    private static Map<String, Object> array(GgufArray a, boolean listing) {
        List<Object> values = new ArrayList<>(a.length());
        for (int i = 0; i < a.length(); i++) {
            values.add(value(a.elementType(), java.lang.reflect.Array.get(a.elements(), i), listing));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("element_type", a.elementType().name());
        out.put("length", (long) a.length());
        if (listing && a.length() > LISTING_FULL_ARRAY_MAX) {
            out.put("first", values.subList(0, LISTING_FIRST));
            StringBuilder text = new StringBuilder();
            for (Object v : values) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                compact(v, text);
            }
            out.put("sha256", sha256(MemorySegment.ofArray(text.toString().getBytes(StandardCharsets.US_ASCII))));
        } else {
            out.put("values", values);
        }
        return out;
    }

    static String sha256(MemorySegment data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 16];
            for (long done = 0; done < data.byteSize(); done += chunk.length) {
                int n = (int) Math.min(chunk.length, data.byteSize() - done);
                MemorySegment.copy(data, done, MemorySegment.ofArray(chunk), 0, n);
                digest.update(ByteBuffer.wrap(chunk, 0, n));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Python's {@code json.dumps(tree, indent=1, ensure_ascii=True) + "\n"}. */
    static String toText(Object tree) {
        StringBuilder sb = new StringBuilder();
        indented(tree, 0, sb);
        return sb.append('\n').toString();
    }

    private static void indented(Object v, int level, StringBuilder sb) {
        switch (v) {
            case Map<?, ?> m when !m.isEmpty() -> {
                sb.append('{');
                String sep = "\n";
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(sep).append(" ".repeat(level + 1));
                    string((String) e.getKey(), sb);
                    sb.append(": ");
                    indented(e.getValue(), level + 1, sb);
                    sep = ",\n";
                }
                sb.append('\n').append(" ".repeat(level)).append('}');
            }
            case List<?> l when !l.isEmpty() -> {
                sb.append('[');
                String sep = "\n";
                for (Object o : l) {
                    sb.append(sep).append(" ".repeat(level + 1));
                    indented(o, level + 1, sb);
                    sep = ",\n";
                }
                sb.append('\n').append(" ".repeat(level)).append(']');
            }
            default -> compact(v, sb);
        }
    }

    /** Python's {@code json.dumps(v, ensure_ascii=True, separators=(",", ":"))}. */
    private static void compact(Object v, StringBuilder sb) {
        switch (v) {
            case String s -> string(s, sb);
            case Boolean b -> sb.append(b ? "true" : "false");
            case Long n -> sb.append(n);
            case BigInteger n -> sb.append(n);
            case Map<?, ?> m -> {
                sb.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(sep);
                    string((String) e.getKey(), sb);
                    sb.append(':');
                    compact(e.getValue(), sb);
                    sep = ",";
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                String sep = "";
                for (Object o : l) {
                    sb.append(sep);
                    compact(o, sb);
                    sep = ",";
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("no canonical form for " + v.getClass());
        }
    }

    /** Python's ASCII-only string escaping: printable ASCII stays, the rest becomes \\uXXXX per UTF-16 unit. */
    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        sb.append(c);
                    } else {
                        sb.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        sb.append('"');
    }
}
