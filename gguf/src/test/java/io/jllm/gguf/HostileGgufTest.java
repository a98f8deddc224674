package io.jllm.gguf;

import static io.jllm.gguf.GgufValueType.ARRAY;
import static io.jllm.gguf.GgufValueType.BOOL;
import static io.jllm.gguf.GgufValueType.INT32;
import static io.jllm.gguf.GgufValueType.STRING;
import static io.jllm.gguf.GgufValueType.UINT32;
import static io.jllm.gguf.GgufValueType.UINT64;
import static io.jllm.gguf.GgufValueType.UINT8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jllm.gguf.testing.SharedTestData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed files, one named corruption each: the reader refuses every one with a {@link GgufFormatException}
 * that says what is wrong and points at the byte where it is.
 */
class HostileGgufTest {

    /** A corrupt file, the text its error must contain, and the offset the error must report. */
    record Corruption(String name, byte[] file, String message, long offset) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"header", "truncations", "counts", "metadata", "tensors"})
    void isRefusedWithWhatAndWhere(Corruption c) {
        GgufFormatException e = catchThrowableOfType(GgufFormatException.class,
                () -> GgufReader.parse(MemorySegment.ofArray(c.file())));
        assertThat(e).as("%s must be refused", c.name()).isNotNull();
        assertThat(e.getMessage()).contains(c.message()).endsWith("(at byte offset " + c.offset() + ")");
        assertThat(e.offset()).isEqualTo(c.offset());
    }

    static Stream<Corruption> header() {
        return Stream.of(
                bad("bad magic", "not a GGUF file: bad magic 0x58554747", b -> {
                    b.raw("GGUX".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).u32(3).u64(0).u64(0);
                    return 0L;
                }),
                bad("version 1", "GGUF version 1 is an early draft", b -> at(b, 4, GgufBytes.header(1, 0, 0))),
                bad("unknown version 4", "unsupported GGUF version 4; supported versions: 2, 3",
                        b -> at(b, 4, GgufBytes.header(4, 0, 0))),
                bad("big-endian file", "looks big-endian", b -> at(b, 4, GgufBytes.header(0x03000000L, 0, 0))),
                bad("empty file", "file truncated: magic needs 4 bytes but only 0 remain", b -> 0L));
    }

    /** A valid file whose fields are marked, cut inside each field in turn. */
    static GgufBytes layout() {
        GgufBytes b = GgufBytes.header(3, 2, 5);
        b.kvString("general.architecture", "x".repeat(300));
        b.mark("key length").str("test.u32").mark("value type").u32(UINT32.id()).mark("u32 value").u32(7);
        b.str("test.string").u32(STRING.id()).mark("string length").u64(5).mark("string bytes").raw("hello".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
        b.str("test.array").u32(ARRAY.id()).mark("array type").u32(INT32.id()).mark("array length").u64(3)
                .mark("array elements").u32(1).u32(2).u32(3);
        b.key("test.bool", BOOL).mark("bool value").u8(1);
        b.mark("tensor a").str("a").mark("dimension count").u32(2).u64(8).mark("dimension 1").u64(2)
                .mark("tensor type").u32(GgmlType.F32.id()).mark("tensor offset").u64(0);
        b.mark("tensor b").tensorInfo("b", GgmlType.F32.id(), 64, 16);
        b.mark("padding").alignTo(32).mark("data").zeros(128);
        return b;
    }

    static Stream<Corruption> truncations() {
        GgufBytes b = layout();
        assertThat(b.at("data") - b.at("padding")).as("the layout needs padding before its data").isPositive();
        return Stream.of(
                cut(b, "magic", 0, 2, 0, "file truncated: magic needs 4 bytes but only 2 remain"),
                cut(b, "version", 4, 2, 4, "file truncated: version"),
                cut(b, "tensor count", 8, 4, 8, "file truncated: tensor count"),
                cut(b, "metadata count", 16, 4, 16, "file truncated: metadata count"),
                cut(b, "key length", b.at("key length"), 4, b.at("key length"), "file truncated: length of metadata key #1"),
                cut(b, "key bytes", b.at("key length"), 11, b.at("key length"),
                        "length 8 of metadata key #1 runs past the end of the file (3 bytes remain)"),
                cut(b, "value type", b.at("value type"), 2, b.at("value type"), "file truncated: type of 'test.u32'"),
                cut(b, "scalar value", b.at("u32 value"), 1, b.at("u32 value"), "file truncated: test.u32 needs 4 bytes"),
                cut(b, "string length", b.at("string length"), 7, b.at("string length"),
                        "file truncated: length of value of 'test.string'"),
                cut(b, "string bytes", b.at("string bytes"), 2, b.at("string length"),
                        "of value of 'test.string' runs past the end of the file"),
                cut(b, "array element type", b.at("array type"), 1, b.at("array type"),
                        "file truncated: array type of 'test.array'"),
                cut(b, "array length", b.at("array length"), 5, b.at("array length"),
                        "file truncated: array length of 'test.array'"),
                cut(b, "array elements", b.at("array elements"), 6, b.at("array length"),
                        "length of array 'test.array' 3 cannot fit in the 6 bytes left"),
                cut(b, "bool value", b.at("bool value"), 0, b.at("bool value"), "file truncated: test.bool needs 1 bytes"),
                cut(b, "tensor name", b.at("tensor a"), 4, b.at("tensor a"), "length of name of tensor #0"),
                cut(b, "tensor dimension count", b.at("dimension count"), 3, b.at("dimension count"),
                        "file truncated: dimension count of 'a'"),
                cut(b, "tensor dimension", b.at("dimension 1"), 7, b.at("dimension 1"), "file truncated: dimension 1 of 'a'"),
                cut(b, "tensor type", b.at("tensor type"), 1, b.at("tensor type"), "file truncated: type of 'a'"),
                cut(b, "tensor offset", b.at("tensor offset"), 7, b.at("tensor offset"),
                        "file truncated: data offset of 'a'"),
                cut(b, "padding before the data section", b.at("padding"), 1, b.at("padding") + 1,
                        "file ends before its data section"),
                cut(b, "tensor data", b.at("data"), 100, b.at("tensor b"),
                        "tensor 'b' data [64, 128) runs past the end of the data section (100 bytes; file truncated?)"));
    }

    static Stream<Corruption> counts() {
        return Stream.of(
                bad("2^63 tensors", "tensor count 9223372036854775808 cannot fit in the 64 bytes left",
                        b -> at(b, 8, GgufBytes.header(3, 1L << 63, 0).zeros(64))),
                bad("2^64-1 tensors", "tensor count 18446744073709551615 cannot fit",
                        b -> at(b, 8, GgufBytes.header(3, -1L, 0).zeros(64))),
                bad("2^63 metadata keys", "metadata count 9223372036854775808 cannot fit",
                        b -> at(b, 16, GgufBytes.header(3, 0, 1L << 63).zeros(64))),
                bad("more tensors than bytes", "tensor count 3 cannot fit in the 64 bytes left",
                        b -> at(b, 8, GgufBytes.header(3, 3, 0).zeros(64))),
                bad("2^63 array elements", "length of array 'k' 9223372036854775808 cannot fit", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", ARRAY).u32(INT32.id()).toArray());
                    long at = b.position();
                    b.u64(1L << 63).zeros(64);
                    return at;
                }),
                bad("array of 100 strings in 792 bytes", "length of array 'k' 100 cannot fit in the 792 bytes left", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", ARRAY).u32(STRING.id()).toArray());
                    long at = b.position();
                    b.u64(100).zeros(99 * 8);
                    return at;
                }),
                bad("key length beyond the end of the file", "length 1000 of metadata key #0 runs past the end of the file",
                        b -> at(b, 24, GgufBytes.header(3, 0, 1).u64(1000).zeros(20))),
                bad("string value length 2^64-1", "length 18446744073709551615 of value of 'k' runs past the end", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", STRING).toArray());
                    long at = b.position();
                    b.u64(-1L).zeros(20);
                    return at;
                }),
                bad("tensor name length beyond the end of the file", "length 4096 of name of tensor #0 runs past", b ->
                        at(b, 24, GgufBytes.header(3, 1, 0).u64(4096).zeros(40))));
    }

    static Stream<Corruption> metadata() {
        byte[] invalidUtf8 = {'a', (byte) 0xFF, 'b'};
        byte[] overlong = {(byte) 0xC0, (byte) 0xAF};
        byte[] encodedSurrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        List<Corruption> cases = new ArrayList<>(List.of(
                bad("duplicate key", "duplicate metadata key 'k'", b -> {
                    b.raw(GgufBytes.header(3, 0, 2).kvUint32("k", 1).toArray());
                    long at = b.position();
                    b.kvUint32("k", 2);
                    return at;
                }),
                bad("invalid UTF-8 in a key", "metadata key #0 is not valid UTF-8",
                        b -> at(b, 32, GgufBytes.header(3, 0, 1).str(invalidUtf8).u32(UINT8.id()).u8(0))),
                bad("overlong UTF-8 in a key", "metadata key #0 is not valid UTF-8",
                        b -> at(b, 32, GgufBytes.header(3, 0, 1).str(overlong).u32(UINT8.id()).u8(0).zeros(8))),
                bad("invalid UTF-8 in a string value", "value of 'k' is not valid UTF-8", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", STRING).toArray());
                    return b.str(invalidUtf8).position() - invalidUtf8.length;
                }),
                bad("UTF-8-encoded surrogate in a string value", "value of 'k' is not valid UTF-8", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", STRING).toArray());
                    return b.str(encodedSurrogate).position() - encodedSurrogate.length;
                }),
                bad("invalid UTF-8 in a string array element", "element 1 of 'k' is not valid UTF-8", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", ARRAY).u32(STRING.id()).u64(2).str("ok").toArray());
                    return b.str(invalidUtf8).position() - invalidUtf8.length;
                }),
                bad("bool byte 2", "k: invalid BOOL byte 2 (expected 0 or 1)", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", BOOL).toArray());
                    long at = b.position();
                    b.u8(2).zeros(8);
                    return at;
                }),
                bad("bool byte 0xFF in an array", "k: invalid BOOL byte 255", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", ARRAY).u32(BOOL.id()).u64(3).u8(1).u8(0).toArray());
                    long at = b.position();
                    b.u8(0xFF);
                    return at;
                }),
                bad("unknown value type 13", "metadata 'k' has unknown value type id 13 (known: 0..12)",
                        b -> at(b, 33, GgufBytes.header(3, 0, 1).str("k").u32(13).zeros(8))),
                bad("unknown array element type", "array 'k' has unknown value type id 4294967295", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", ARRAY).toArray());
                    long at = b.position();
                    b.u32(-1L).u64(0);
                    return at;
                }),
                bad("arrays nested 9 deep", "metadata 'k': arrays nested deeper than 8", b -> {
                    b.raw(GgufBytes.header(3, 0, 1).key("k", ARRAY).toArray());
                    long innermost = 0;
                    for (int depth = 0; depth <= GgufReader.MAX_ARRAY_DEPTH; depth++) {
                        innermost = b.position();
                        b.u32(ARRAY.id()).u64(1);
                    }
                    b.u32(INT32.id()).u64(0).zeros(16);
                    return innermost;
                })));
        for (long alignment : new long[] {0, 3, 48, 1L << 31}) {
            cases.add(bad("general.alignment = " + alignment, "'general.alignment' must be a power of two up to "
                    + "1073741824, found " + alignment, b -> at(b, 53, GgufBytes.header(3, 0, 1)
                    .kvUint32("general.alignment", alignment))));
        }
        cases.add(bad("general.alignment as UINT64", "metadata key 'general.alignment': expected UINT32, found UINT64",
                b -> at(b, 53, GgufBytes.header(3, 0, 1).key("general.alignment", UINT64).u64(32))));
        cases.add(bad("general.alignment as STRING", "expected UINT32, found STRING",
                b -> at(b, 53, GgufBytes.header(3, 0, 1).key("general.alignment", STRING).str("32"))));
        return cases.stream();
    }

    static Stream<Corruption> tensors() {
        return Stream.of(
                tensor("dimensions whose product overflows", "tensor 'w' element count overflows", 8 + 1 + 4 + 8,
                        b -> b.tensorInfo("w", 0, 0, 1L << 32, 1L << 32)),
                tensor("a dimension of 2^63", "tensor 'w' dimension 0 = 9223372036854775808 is too large", 8 + 1 + 4,
                        b -> b.tensorInfo("w", 0, 0, 1L << 63)),
                tensor("a byte size that overflows", "tensor 'w' byte size overflows", 8 + 1,
                        b -> b.tensorInfo("w", 0, 0, 1L << 62)),
                tensor("5 dimensions", "tensor 'w' has 5 dimensions; at most 4 are allowed", 8 + 1,
                        b -> b.tensorInfo("w", 0, 0, 1, 1, 1, 1, 1)),
                tensor("unknown type id 99", "tensor 'w' has unknown ggml type id 99; known types: F32, F16", 8 + 1 + 4 + 8,
                        b -> b.tensorInfo("w", 99, 0, 16)),
                tensor("removed type Q4_2", "tensor 'w' uses type Q4_2 (id 4), which ggml has removed", 8 + 1 + 4 + 8,
                        b -> b.tensorInfo("w", 4, 0, 32)),
                tensor("removed type Q4_0_4_4", "uses type Q4_0_4_4 (id 31), which ggml has removed", 8 + 1 + 4 + 8,
                        b -> b.tensorInfo("w", 31, 0, 32)),
                tensor("a row that is not whole blocks", "tensor 'w' row length 48 is not a multiple of the Q8_0 block size 32",
                        8 + 1, b -> b.tensorInfo("w", GgmlType.Q8_0.id(), 0, 48)),
                tensor("an offset beyond the data section", "tensor 'w' data [4096, 4160) runs past the end of the data"
                        + " section (64 bytes", 0, b -> b.tensorInfo("w", 0, 4096, 16)),
                tensor("an offset of 2^63", "tensor 'w' data offset 9223372036854775808 is outside the file",
                        8 + 1 + 4 + 8 + 4, b -> b.tensorInfo("w", 0, 1L << 63, 16)),
                tensor("a misaligned offset", "tensor 'w' data offset 4 is not a multiple of the alignment 32", 0,
                        b -> b.tensorInfo("w", 0, 4, 8)),
                tensor("tensor bytes past the end of the file", "tensor 'w' data [0, 4096) runs past the end of the data"
                        + " section (64 bytes; file truncated?)", 0, b -> b.tensorInfo("w", 0, 0, 1024)),
                tensor("a tensor name of 64 bytes", "name of tensor #0 is 64 bytes long; at most 63 are allowed", 0,
                        b -> b.tensorInfo("w".repeat(64), 0, 0, 16)),
                tensor("invalid UTF-8 in a tensor name", "name of tensor #0 is not valid UTF-8", 8,
                        b -> b.str(new byte[] {(byte) 0x80}).u32(1).u64(16).u32(0).u64(0)),
                twoTensors("overlapping tensors", "tensor 'b' data overlaps tensor 'a'",
                        b -> b.tensorInfo("a", 0, 0, 16), b -> b.tensorInfo("b", 0, 32, 8)),
                twoTensors("a duplicate tensor name", "duplicate tensor name 'a'",
                        b -> b.tensorInfo("a", 0, 0, 8), b -> b.tensorInfo("a", 0, 32, 8)));
    }

    @Test
    void metadataThatWouldDecodeToMoreThanTheBudgetIsRefusedBeforeAllocation() {
        int elements = (int) (GgufReader.MAX_DECODED_METADATA_BYTES / 8 + 1);
        byte[] head = GgufBytes.header(3, 0, 1).key("huge", ARRAY).u32(UINT8.id()).u64(elements).toArray();
        byte[] file = java.util.Arrays.copyOf(head, head.length + elements);
        GgufFormatException e = catchThrowableOfType(GgufFormatException.class,
                () -> GgufReader.parse(MemorySegment.ofArray(file)));
        assertThat(e).hasMessageContaining("array 'huge' takes the decoded metadata past 512 MiB");
        assertThat(e.offset()).isEqualTo(head.length - 8);
    }

    @Test
    void aRealFileCutAtAnyPointIsRefusedAtOrBeforeTheCut() throws IOException {
        byte[] bytes = Files.readAllBytes(SharedTestData.tiny("qwen3-q4_k_m-mix.gguf"));
        MemorySegment whole = MemorySegment.ofArray(bytes);
        long dataOffset = GgufReader.parse(whole).dataOffset();
        List<Long> cuts = new ArrayList<>();
        for (long cut = 0; cut < dataOffset; cut += cut < 2048 ? 1 : 7) {
            cuts.add(cut);
        }
        for (long cut = dataOffset; cut < bytes.length; cut += (bytes.length - dataOffset) / 97) {
            cuts.add(cut);
        }
        cuts.add(bytes.length - 1L);
        for (long cut : cuts) {
            GgufFormatException e = catchThrowableOfType(GgufFormatException.class,
                    () -> GgufReader.parse(whole.asSlice(0, cut)));
            assertThat(e).as("file cut to %d bytes", cut).isNotNull();
            assertThat(e.offset()).as("offset reported for a cut at %d: %s", cut, e.getMessage()).isBetween(0L, cut);
            assertThat(e.getMessage()).as("cut at %d", cut)
                    .containsAnyOf("truncated", "past the end", "cannot fit", "ends before");
        }
        assertThatCode(() -> GgufReader.parse(whole)).doesNotThrowAnyException();
    }

    private static Corruption bad(String name, String message, Function<GgufBytes, Long> build) {
        GgufBytes b = new GgufBytes();
        long offset = build.apply(b);
        return new Corruption(name, b.toArray(), message, offset);
    }

    /** Copies {@code source} into {@code b} and returns {@code offset}. */
    private static long at(GgufBytes b, long offset, GgufBytes source) {
        b.raw(source.toArray());
        return offset;
    }

    private static Corruption cut(GgufBytes layout, String field, long start, long into, long offset, String message) {
        byte[] whole = layout.toArray();
        return new Corruption("cut inside the " + field, java.util.Arrays.copyOf(whole, (int) (start + into)),
                message, offset);
    }

    /**
     * One tensor info followed by 64 bytes of data; {@code offsetInInfo} is where the error points, relative
     * to the start of the tensor info (24).
     */
    private static Corruption tensor(String name, String message, long offsetInInfo,
            java.util.function.Consumer<GgufBytes> info) {
        GgufBytes b = GgufBytes.header(3, 1, 0);
        info.accept(b);
        b.alignTo(32).zeros(64);
        return new Corruption(name, b.toArray(), message, 24 + offsetInInfo);
    }

    /** Two tensor infos and 64 bytes of data; the error points at the second info. */
    private static Corruption twoTensors(String name, String message, java.util.function.Consumer<GgufBytes> first,
            java.util.function.Consumer<GgufBytes> second) {
        GgufBytes b = GgufBytes.header(3, 2, 0);
        first.accept(b);
        long at = b.position();
        second.accept(b);
        b.alignTo(32).zeros(64);
        return new Corruption(name, b.toArray(), message, at);
    }
}
