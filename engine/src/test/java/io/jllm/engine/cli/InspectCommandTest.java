package io.jllm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jllm.engine.json.Json;
import io.jllm.engine.json.JsonNumber;
import io.jllm.gguf.GgufArray;
import io.jllm.gguf.GgufValueType;
import io.jllm.gguf.GgufWriter;
import io.jllm.gguf.testing.SharedTestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code jllm inspect}: its JSON agrees with what the reference {@code gguf} Python package lists for every
 * fixture (the listings in the gguf module's test resources), long values are abbreviated, and malformed
 * files end in a one-line error without a stack trace.
 */
class InspectCommandTest {

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    static Result jllm(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<Path> fixtures() {
        return SharedTestData.allGgufFiles();
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void jsonAgreesWithTheGgufPyListing(Path file) throws IOException {
        Result r = jllm("inspect", file.toString(), "--json");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).endsWith("\n").doesNotContain("\n\n");
        assertThat(r.out().strip()).doesNotContain("\n");
        Map<String, Object> ours = Json.parseObject(r.out());
        Map<String, Object> listing = listing(file.getFileName().toString());

        assertThat(ours.keySet()).containsExactly("version", "alignment", "metadata", "tensors");
        assertThat(number(ours.get("version"))).isEqualTo(number(listing.get("version")));
        assertThat(number(ours.get("alignment"))).isEqualTo(number(listing.get("alignment")));

        List<Object> expectedTensors = new ArrayList<>();
        for (Object o : (List<Object>) listing.get("tensors")) {
            Map<String, Object> t = (Map<String, Object>) o;
            expectedTensors.add(Map.of("name", t.get("name"), "type", t.get("type"),
                    "shape", longs((List<Object>) t.get("shape")), "offset", number(t.get("offset"))));
        }
        List<Object> ourTensors = new ArrayList<>();
        for (Object o : (List<Object>) ours.get("tensors")) {
            Map<String, Object> t = (Map<String, Object>) o;
            assertThat(t.keySet()).containsExactly("name", "type", "shape", "offset");
            ourTensors.add(Map.of("name", t.get("name"), "type", t.get("type"),
                    "shape", longs((List<Object>) t.get("shape")), "offset", number(t.get("offset"))));
        }
        assertThat(ourTensors).isEqualTo(expectedTensors);

        Map<String, Object> metadata = (Map<String, Object>) ours.get("metadata");
        List<Object> expectedKeys = new ArrayList<>();
        for (Object o : (List<Object>) listing.get("metadata")) {
            Map<String, Object> kv = (Map<String, Object>) o;
            String key = (String) kv.get("key");
            expectedKeys.add(key);
            assertValue(key, (String) kv.get("type"), kv.get("value"), metadata.get(key));
        }
        assertThat(new ArrayList<Object>(metadata.keySet())).isEqualTo(expectedKeys);
    }

    /** Compares one of our JSON values with the listing's canonical value (floats as the hex of their bits). */
    @SuppressWarnings("unchecked")
    private static void assertValue(String what, String type, Object expected, Object ours) {
        switch (type) {
            case "FLOAT32" -> assertThat(String.format("0x%08x", Float.floatToRawIntBits(((JsonNumber) ours).floatValue())))
                    .as(what).isEqualTo(expected);
            case "FLOAT64" -> assertThat(String.format("0x%016x",
                    Double.doubleToRawLongBits(((JsonNumber) ours).doubleValue()))).as(what).isEqualTo(expected);
            case "STRING", "BOOL" -> assertThat(ours).as(what).isEqualTo(expected);
            case "ARRAY" -> {
                Map<String, Object> array = (Map<String, Object>) expected;
                long length = number(array.get("length"));
                String elementType = (String) array.get("element_type");
                if (length > InspectCommand.MAX_JSON_ARRAY) {
                    assertThat(ours).as(what).isEqualTo(Map.of("type", "array", "element_type", elementType,
                            "length", new JsonNumber(Long.toString(length))));
                    return;
                }
                List<Object> elements = (List<Object>) ours;
                assertThat((long) elements.size()).as(what).isEqualTo(length);
                List<Object> known = (List<Object>) array.getOrDefault("values", array.get("first"));
                for (int i = 0; i < known.size(); i++) {
                    assertValue(what + "[" + i + "]", elementType, known.get(i), elements.get(i));
                }
            }
            default -> assertThat(number(ours)).as(what).isEqualTo(number(expected));
        }
    }

    @Test
    void summaryAbbreviatesLongArraysAndListsTensorsWithTotals() {
        Result vocab = jllm("inspect", SharedTestData.vocab("ggml-vocab-gpt-2.gguf").toString());
        assertThat(vocab.status()).isZero();
        assertThat(vocab.out()).contains("GGUF version: 3", "architecture: gpt2", "tensors (0):")
                .containsPattern("tokenizer\\.ggml\\.tokens +ARRAY<STRING> +\\[50257 × STRING\\] \\[\"!\", \"\\\\\"\", .*, \\.\\.\\.\\]\n")
                .containsPattern("tokenizer\\.ggml\\.merges +ARRAY<STRING> +\\[50000 × STRING\\] \\[\"Ġ t\", .*\\.\\.\\.\\]\n");

        Result model = jllm("inspect", SharedTestData.tiny("llama-q4_k_m-mix.gguf").toString());
        assertThat(model.out()).contains("architecture: llama", "tensors (21):")
                .containsPattern("llama\\.rope\\.freq_base +FLOAT32 +10000\\.0\n")
                .containsPattern("blk\\.0\\.attn_q\\.weight +Q4_K +\\[256, 256\\] +\\d+ +36864\n")
                .containsPattern("total: 21 tensors, \\d+ elements, \\d+ bytes");
    }

    @Test
    void jsonListsArraysOfUpTo64ElementsAndDescribesLongerOnes() throws IOException {
        Path file = dir.resolve("arrays.gguf");
        new GgufWriter()
                .putArray("a.64", new GgufArray(GgufValueType.INT32, new long[64]))
                .putArray("a.65", new GgufArray(GgufValueType.INT32, new long[65]))
                .putArray("a.nested", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                    new GgufArray(GgufValueType.STRING, new String[] {"x"}),
                    new GgufArray(GgufValueType.FLOAT32, new float[70])}))
                .putString("long.string", "y".repeat(100))
                .put("big", GgufValueType.UINT64, -1L)
                .addTensor("t", io.jllm.gguf.GgmlType.F32, new long[] {2, 3}, MemorySegment.ofArray(new float[6]))
                .write(file);

        String json = jllm("inspect", file.toString(), "--json").out().strip();
        assertThat(json).isEqualTo("{\"version\":3,\"alignment\":32,\"metadata\":{"
                + "\"a.64\":[" + "0,".repeat(63) + "0],"
                + "\"a.65\":{\"type\":\"array\",\"element_type\":\"INT32\",\"length\":65},"
                + "\"a.nested\":[[\"x\"],{\"type\":\"array\",\"element_type\":\"FLOAT32\",\"length\":70}],"
                + "\"long.string\":\"" + "y".repeat(100) + "\","
                + "\"big\":18446744073709551615},"
                + "\"tensors\":[{\"name\":\"t\",\"type\":\"F32\",\"shape\":[2,3],\"offset\":0}]}");

        String text = jllm("inspect", file.toString()).out();
        assertThat(text).contains("\"" + "y".repeat(60) + "...\" (100 chars)", "18446744073709551615",
                "[65 × INT32] [0, 0, ", "[[\"x\"], [70 × FLOAT32] [0.0, ");
    }

    @Test
    void aMalformedFileFailsWithTheReadersMessageAndNoStackTrace() throws IOException {
        byte[] whole = Files.readAllBytes(SharedTestData.tiny("llama-q8_0-pure.gguf"));
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, java.util.Arrays.copyOf(whole, 1000));

        Result r = jllm("inspect", cut.toString(), "--json");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("jllm inspect: ").contains("(at byte offset ").doesNotContain("\tat ");

        Result verbose = jllm("inspect", cut.toString(), "--verbose");
        assertThat(verbose.status()).isEqualTo(1);
        assertThat(verbose.err()).contains("GgufFormatException", "\tat ");
    }

    @Test
    void aMissingFileOrArgumentIsReportedPlainly() {
        Result missing = jllm("inspect", dir.resolve("nope.gguf").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.gguf: no such file").doesNotContain("\tat ");

        Result noFile = jllm("inspect");
        assertThat(noFile.status()).isEqualTo(2);
        assertThat(noFile.err()).contains("jllm inspect: missing FILE");

        assertThat(jllm("inspect", "--help").out()).contains("usage: jllm inspect FILE [--json]");
        assertThat(jllm("--help").out()).contains("inspect");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> listing(String fileName) throws IOException {
        try (InputStream in = InspectCommandTest.class.getResourceAsStream("/listings/" + fileName + ".json")) {
            assertThat(in).as("gguf-py listing of %s in the gguf test jar", fileName).isNotNull();
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }

    private static List<Long> longs(List<Object> list) {
        return list.stream().map(InspectCommandTest::number).toList();
    }
}
