package io.jllm.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jllm.gguf.testing.SharedTestData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing over the fixture files: bit flips, byte sets, deleted and duplicated chunks, and integer
 * boundary values written over the header's count, length and value fields. Whatever the bytes, parsing
 * either succeeds (and every tensor slice can then be taken) or throws {@link GgufFormatException}; nothing
 * else escapes, and every parse finishes quickly. Runs for {@code -Djllm.fuzz.seconds} (default 12) from seed
 * {@code -Djllm.fuzz.seed}; iteration {@code i} uses seed {@code seed + i}, so a failure names what to re-run.
 */
class GgufFuzzTest {
    private static final long SECONDS = Long.getLong("jllm.fuzz.seconds", 12);
    private static final long SEED = Long.getLong("jllm.fuzz.seed", 0x6767_7566L);
    private static final Duration MAX_PARSE = Duration.ofSeconds(2);
    private static final long[] BOUNDARIES = {0, 1, 2, 3, 4, 7, 8, 13, 24, 31, 32, 33, 63, 64, 0x7F, 0x80, 0xFF,
        0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L,
        Long.MAX_VALUE, Long.MIN_VALUE, -1L, -2L, 1L << 40, 1L << 62};

    /** A fixture held in memory with the offsets of its header's integer fields. */
    record Fixture(String name, byte[] bytes, long dataOffset, long[] integerFields) {
    }

    private volatile String current = "starting";

    @Test
    void onlyGgufFormatExceptionEscapesAndEveryParseIsQuick() throws IOException {
        List<Fixture> fixtures = fixtures();
        long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(SECONDS + 60), () -> {
            for (long iteration = 0; System.nanoTime() < deadline; iteration++) {
                Random random = new Random(SEED + iteration);
                Fixture fixture = pick(fixtures, random);
                StringBuilder description = new StringBuilder();
                byte[] mutated = mutate(fixture, random, description);
                current = "seed " + SEED + " iteration " + iteration + " (-Djllm.fuzz.seed=" + (SEED + iteration)
                        + " reproduces it as iteration 0): " + fixture.name() + description;
                outcomes[parse(mutated) ? 0 : 1]++;
            }
        }, () -> "a parse hung on " + current);
        assertThat(outcomes[0] + outcomes[1]).as("iterations").isGreaterThan(100);
        assertThat(outcomes[1]).as("mutations refused").isPositive();
    }

    /** True if the mutated file parsed, false if it was refused; fails on anything else. */
    private boolean parse(byte[] bytes) {
        long start = System.nanoTime();
        try {
            GgufFile file = GgufFile.of(MemorySegment.ofArray(bytes));
            for (TensorInfo t : file.tensors()) {
                file.tensorData(t);
            }
            return true;
        } catch (GgufFormatException e) {
            assertThat(e.offset()).as("%s: offset of %s", current, e.getMessage()).isBetween(-1L, (long) bytes.length);
            return false;
        } catch (Throwable t) {
            return fail("%s threw %s", current, t, t);
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("parse time for %s", current).isLessThan(MAX_PARSE);
        }
    }

    private static Fixture pick(List<Fixture> fixtures, Random random) {
        // Vocabulary files take tens of milliseconds to parse; the small models give more mutations per second.
        List<Fixture> vocab = fixtures.stream().filter(f -> f.name().startsWith("ggml-vocab")).toList();
        List<Fixture> tiny = fixtures.stream().filter(f -> !f.name().startsWith("ggml-vocab")).toList();
        List<Fixture> from = random.nextInt(10) == 0 || tiny.isEmpty() ? vocab : tiny;
        return from.get(random.nextInt(from.size()));
    }

    private static byte[] mutate(Fixture f, Random random, StringBuilder description) {
        byte[] b = f.bytes().clone();
        int mutations = 1 + (random.nextInt(4) == 0 ? random.nextInt(4) : 0);
        for (int m = 0; m < mutations; m++) {
            int pos = position(f, b.length, random);
            switch (random.nextInt(5)) {
                case 0 -> {
                    int bit = random.nextInt(8);
                    b[pos] ^= (byte) (1 << bit);
                    description.append("; flip bit ").append(bit).append(" at ").append(pos);
                }
                case 1 -> {
                    byte v = (byte) (random.nextBoolean() ? random.nextInt(256) : random.nextBoolean() ? 0 : 0xFF);
                    b[pos] = v;
                    description.append("; set byte ").append(pos).append(" to ").append(v & 0xFF);
                }
                case 2 -> {
                    int len = Math.min(1 + random.nextInt(64), b.length - pos);
                    byte[] shorter = new byte[b.length - len];
                    System.arraycopy(b, 0, shorter, 0, pos);
                    System.arraycopy(b, pos + len, shorter, pos, b.length - pos - len);
                    b = shorter;
                    description.append("; delete ").append(len).append(" bytes at ").append(pos);
                }
                case 3 -> {
                    int len = Math.min(1 + random.nextInt(64), b.length - pos);
                    byte[] longer = Arrays.copyOf(b, b.length + len);
                    System.arraycopy(b, pos, longer, pos + len, b.length - pos);
                    b = longer;
                    description.append("; duplicate ").append(len).append(" bytes at ").append(pos);
                }
                default -> {
                    long at = f.integerFields()[random.nextInt(f.integerFields().length)];
                    int width = random.nextBoolean() ? 8 : 4;
                    long value = BOUNDARIES[random.nextInt(BOUNDARIES.length)] + (random.nextInt(8) == 0 ? b.length : 0);
                    for (int i = 0; i < width && at + i < b.length; i++) {
                        b[(int) at + i] = (byte) (value >>> (8 * i));
                    }
                    description.append("; write ").append(width).append("-byte ").append(value).append(" at ").append(at);
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

    /** Mostly inside the header, where the parser's decisions are; sometimes anywhere. */
    private static int position(Fixture f, int length, Random random) {
        long limit = random.nextInt(5) == 0 ? length : Math.min(length, f.dataOffset());
        return (int) (random.nextLong(Math.max(1, limit)) % Math.max(1, length));
    }

    private static List<Fixture> fixtures() throws IOException {
        List<Fixture> fixtures = new ArrayList<>();
        for (Path p : SharedTestData.allGgufFiles()) {
            byte[] bytes = Files.readAllBytes(p);
            GgufReader.Header h = GgufReader.parse(MemorySegment.ofArray(bytes));
            List<Long> fields = new ArrayList<>(List.of(4L, 8L, 16L, 24L));
            h.metadata().asMap().values().forEach(v -> {
                fields.add(v.offset());
                if (v.type() == GgufValueType.ARRAY) {
                    fields.add(v.offset() + 4);
                }
            });
            fixtures.add(new Fixture(p.getFileName().toString(), bytes, h.dataOffset(),
                    fields.stream().mapToLong(Long::longValue).toArray()));
        }
        return fixtures;
    }
}
