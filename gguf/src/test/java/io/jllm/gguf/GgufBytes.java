package io.jllm.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds GGUF bytes field by field, valid or not, remembering where named fields start so a test can say
 * at which offset the reader must report a problem.
 */
final class GgufBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Long> marks = new HashMap<>();

    /** Magic, version, tensor count and metadata count. */
    static GgufBytes header(long version, long tensorCount, long kvCount) {
        return new GgufBytes().raw("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(tensorCount).u64(kvCount);
    }

    long position() {
        return out.size();
    }

    GgufBytes mark(String name) {
        marks.put(name, position());
        return this;
    }

    long at(String name) {
        Long p = marks.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no mark " + name);
        }
        return p;
    }

    GgufBytes u8(long v) {
        out.write((int) v);
        return this;
    }

    GgufBytes u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    GgufBytes u64(long v) {
        return u32(v).u32(v >>> 32);
    }

    GgufBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    GgufBytes str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    GgufBytes str(byte[] utf8) {
        return u64(utf8.length).raw(utf8);
    }

    /** A key and its value type id; the value follows. */
    GgufBytes key(String key, GgufValueType type) {
        return str(key).u32(type.id());
    }

    GgufBytes kvString(String key, String value) {
        return key(key, GgufValueType.STRING).str(value);
    }

    GgufBytes kvUint32(String key, long value) {
        return key(key, GgufValueType.UINT32).u32(value);
    }

    GgufBytes tensorInfo(String name, long typeId, long offset, long... dims) {
        str(name).u32(dims.length);
        for (long d : dims) {
            u64(d);
        }
        return u32(typeId).u64(offset);
    }

    GgufBytes alignTo(int alignment) {
        return zeros(GgufReader.alignUp(position(), alignment) - position());
    }

    GgufBytes zeros(long n) {
        out.writeBytes(new byte[(int) n]);
        return this;
    }

    byte[] toArray() {
        return out.toByteArray();
    }
}
