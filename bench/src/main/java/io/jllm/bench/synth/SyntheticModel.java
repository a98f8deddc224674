package io.jllm.bench.synth;

import io.jllm.gguf.GgmlType;
import io.jllm.gguf.GgufArray;
import io.jllm.gguf.GgufValueType;
import io.jllm.gguf.GgufWriter;
import io.jllm.gguf.codec.Codecs;
import io.jllm.gguf.codec.Quantizer;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Writes a deterministic random-weight GGUF file with a real model's shape. Matrices are N(0, 0.02), norm
 * weights 1 + N(0, 0.1), biases N(0, 0.02); every block of rows gets its own seed derived from the file
 * seed, the tensor and the block, so the bytes do not depend on how many threads wrote them. The vocabulary
 * is SentencePiece-style (control tokens, 256 byte tokens, then distinct pieces) so llama.cpp loads it too.
 * Tensors are generated and quantized while they are written: memory stays small for any model size.
 */
public final class SyntheticModel {
    private static final int ROWS_PER_CHUNK = 64;

    private final ModelShape shape;
    private final SynthType type;
    private final long seed;

    public SyntheticModel(ModelShape shape, SynthType type, long seed) {
        this.shape = shape;
        this.type = type;
        this.seed = seed;
    }

    /**
     * Writes the file.
     *
     * @param progress receives the number of tensor bytes written so far
     * @return the total tensor bytes
     */
    public long write(Path path, LongConsumer progress) throws IOException {
        GgufWriter writer = new GgufWriter();
        metadata(writer);
        long[] written = {0};
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            TensorAdder adder = new TensorAdder(writer, workers, written, progress);
            int layers = shape.blockCount();
            adder.matrix("token_embd.weight", shape.tiedEmbeddings() ? "output" : "token_embd", 0,
                    shape.embeddingLength(), shape.vocabSize());
            adder.norm("output_norm.weight", shape.embeddingLength());
            if (!shape.tiedEmbeddings()) {
                adder.matrix("output.weight", "output", 0, shape.embeddingLength(), shape.vocabSize());
            }
            if (shape.ropeScaling() != null) {
                adder.floats("rope_freqs.weight", shape.ropeFactors());
            }
            int kvWidth = shape.headDim() * shape.headCountKv();
            for (int i = 0; i < layers; i++) {
                String p = "blk." + i + ".";
                adder.norm(p + "attn_norm.weight", shape.embeddingLength());
                adder.matrix(p + "attn_q.weight", "attn_q", i, shape.embeddingLength(), shape.embeddingLength());
                adder.matrix(p + "attn_k.weight", "attn_k", i, shape.embeddingLength(), kvWidth);
                adder.matrix(p + "attn_v.weight", "attn_v", i, shape.embeddingLength(), kvWidth);
                if (shape.qkvBias()) {
                    adder.bias(p + "attn_q.bias", shape.embeddingLength());
                    adder.bias(p + "attn_k.bias", kvWidth);
                    adder.bias(p + "attn_v.bias", kvWidth);
                }
                adder.matrix(p + "attn_output.weight", "attn_output", i, shape.embeddingLength(),
                        shape.embeddingLength());
                adder.norm(p + "ffn_norm.weight", shape.embeddingLength());
                adder.matrix(p + "ffn_gate.weight", "ffn_gate", i, shape.embeddingLength(), shape.feedForwardLength());
                adder.matrix(p + "ffn_up.weight", "ffn_up", i, shape.embeddingLength(), shape.feedForwardLength());
                adder.matrix(p + "ffn_down.weight", "ffn_down", i, shape.feedForwardLength(), shape.embeddingLength());
            }
            writer.write(path);
        }
        return written[0];
    }

    private void metadata(GgufWriter w) {
        String arch = shape.architecture();
        w.putString("general.architecture", arch);
        w.putString("general.name", "synthetic " + shape.name() + " " + type.name().toLowerCase());
        w.putUint32("general.file_type", type.fileType());
        w.putUint32("general.quantization_version", 2);
        w.putUint32(arch + ".context_length", shape.contextLength());
        w.putUint32(arch + ".embedding_length", shape.embeddingLength());
        w.putUint32(arch + ".feed_forward_length", shape.feedForwardLength());
        w.putUint32(arch + ".block_count", shape.blockCount());
        w.putUint32(arch + ".attention.head_count", shape.headCount());
        w.putUint32(arch + ".attention.head_count_kv", shape.headCountKv());
        w.putFloat32(arch + ".attention.layer_norm_rms_epsilon", shape.rmsEpsilon());
        w.putFloat32(arch + ".rope.freq_base", shape.ropeFreqBase());
        w.putUint32(arch + ".rope.dimension_count", shape.headDim());
        w.putUint32(arch + ".vocab_size", shape.vocabSize());
        int v = shape.vocabSize();
        String[] tokens = new String[v];
        float[] scores = new float[v];
        long[] types = new long[v];
        tokens[0] = "<unk>";
        tokens[1] = "<s>";
        tokens[2] = "</s>";
        types[0] = 2;
        types[1] = 3;
        types[2] = 3;
        for (int b = 0; b < 256; b++) {
            tokens[3 + b] = String.format("<0x%02X>", b);
            types[3 + b] = 6;
        }
        for (int i = 259; i < v; i++) {
            tokens[i] = "\u2581w" + Integer.toString(i - 259, 36);
            scores[i] = -(i - 259);
            types[i] = 1;
        }
        w.putString("tokenizer.ggml.model", "llama");
        w.putString("tokenizer.ggml.pre", "default");
        w.putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, tokens));
        w.putArray("tokenizer.ggml.scores", new GgufArray(GgufValueType.FLOAT32, scores));
        w.putArray("tokenizer.ggml.token_type", new GgufArray(GgufValueType.INT32, types));
        w.putUint32("tokenizer.ggml.bos_token_id", 1);
        w.putUint32("tokenizer.ggml.eos_token_id", 2);
        w.putUint32("tokenizer.ggml.unknown_token_id", 0);
        w.putBool("tokenizer.ggml.add_bos_token", true);
        w.putBool("tokenizer.ggml.add_eos_token", false);
    }

    /** Adds tensors whose bytes are produced lazily, chunk by chunk, while the writer streams them. */
    private final class TensorAdder {
        private final GgufWriter writer;
        private final ExecutorService workers;
        private final long[] written;
        private final LongConsumer progress;
        private int tensorIndex;

        TensorAdder(GgufWriter writer, ExecutorService workers, long[] written, LongConsumer progress) {
            this.writer = writer;
            this.workers = workers;
            this.written = written;
            this.progress = progress;
        }

        void matrix(String name, String role, int layer, int rowLength, int rows) {
            GgmlType t = type.typeFor(role, layer, shape.blockCount(), rowLength);
            Quantizer quantizer = Codecs.quantizer(t).orElseThrow(() -> new IllegalStateException(
                    "no quantizer for " + t));
            long chunkBytes = t.bytesFor((long) ROWS_PER_CHUNK * rowLength);
            int index = tensorIndex++;
            writer.addTensor(name, t, new long[] {rowLength, rows}, channel -> {
                int chunks = (rows + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
                int parallel = Math.max(1, Runtime.getRuntime().availableProcessors());
                List<Future<ByteBuffer>> pending = new ArrayList<>();
                for (int c = 0; c < chunks; c++) {
                    int chunk = c;
                    pending.add(workers.submit(() -> {
                        int n = Math.min(ROWS_PER_CHUNK, rows - chunk * ROWS_PER_CHUNK);
                        float[] values = gaussian(index, chunk, n * rowLength, 0f, 0.02f);
                        ByteBuffer bytes = ByteBuffer.allocate((int) (chunkBytes / ROWS_PER_CHUNK * n));
                        quantizer.quantize(values, 0, values.length, MemorySegment.ofBuffer(bytes), 0);
                        return bytes;
                    }));
                    if (pending.size() >= 2 * parallel || c == chunks - 1) {
                        for (Future<ByteBuffer> f : pending) {
                            ByteBuffer bytes = join(f);
                            emit(channel, bytes);
                        }
                        pending.clear();
                    }
                }
            });
        }

        void norm(String name, int n) {
            float[] values = gaussian(tensorIndex++, 0, n, 1f, 0.1f);
            floats(name, values);
        }

        void bias(String name, int n) {
            floats(name, gaussian(tensorIndex++, 0, n, 0f, 0.02f));
        }

        void floats(String name, float[] values) {
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            writer.addTensor(name, GgmlType.F32, new long[] {values.length}, channel -> emit(channel, bytes));
        }

        private void emit(WritableByteChannel channel, ByteBuffer bytes) throws IOException {
            bytes.rewind();
            long n = bytes.remaining();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            written[0] += n;
            progress.accept(written[0]);
        }
    }

    private float[] gaussian(int tensor, int chunk, int count, float mean, float sd) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + tensor * 0xC2B2AE3D27D4EB4FL
                + chunk);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = mean + sd * (float) random.nextGaussian();
        }
        return values;
    }

    private static ByteBuffer join(Future<ByteBuffer> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating weights", e);
        } catch (ExecutionException e) {
            throw new IOException("generating weights failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
