package io.jllm.engine.cli;

import io.jllm.engine.model.KvCache;
import io.jllm.engine.model.LanguageModel;

import java.util.Arrays;

/**
 * Perplexity the way llama.cpp's {@code llama-perplexity} computes it: the tokens (BOS included when the
 * vocabulary adds one) are cut into chunks of {@code ctx} tokens, each evaluated from an empty cache with its
 * first token replaced by BOS (when the vocabulary adds one); only the second half of each chunk is scored,
 * so every scored token has at least {@code ctx/2} tokens of context. The estimate is
 * {@code exp(mean(-log p(token)))} over all scored tokens, its uncertainty the standard error of that mean
 * carried through {@code exp}.
 */
final class Perplexity {

    /** The running estimate after a chunk. */
    record Progress(int chunk, int chunks, double perplexity, double seconds) {
    }

    /** The final estimate. */
    record Result(double perplexity, double uncertainty, int chunks, int scoredTokens) {
    }

    /** Told after every chunk. */
    interface Listener {
        void chunkDone(Progress progress);
    }

    private final LanguageModel model;
    private final int contextSize;
    private final int batchSize;

    /**
     * @param batchSize tokens per forward call; the logits of at most this many positions are held at once
     */
    Perplexity(LanguageModel model, int contextSize, int batchSize) {
        if (contextSize < 4) {
            throw new IllegalArgumentException("the context must hold at least 4 tokens, got " + contextSize);
        }
        if (contextSize > model.contextLength()) {
            throw new IllegalArgumentException("context " + contextSize + " exceeds the model's trained context of "
                    + model.contextLength() + " tokens");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.model = model;
        this.contextSize = contextSize;
        this.batchSize = batchSize;
    }

    /** The most chunks {@code tokenCount} tokens fill. */
    int chunksIn(int tokenCount) {
        return tokenCount / contextSize;
    }

    /**
     * Scores the first {@code chunks} chunks of {@code tokens}.
     *
     * @param bos the token that starts every chunk, or -1 to keep each chunk's own first token
     * @throws IllegalArgumentException if the tokens fill fewer than two chunks or fewer than {@code chunks}
     */
    Result compute(int[] tokens, int bos, int chunks, Listener listener) {
        if (tokens.length < 2 * contextSize) {
            throw new IllegalArgumentException("the text tokenizes to only " + tokens.length + " tokens; perplexity "
                    + "with a context of " + contextSize + " needs at least " + 2 * contextSize);
        }
        if (chunks < 1 || chunks > chunksIn(tokens.length)) {
            throw new IllegalArgumentException("cannot score " + chunks + " chunks: the text fills "
                    + chunksIn(tokens.length) + " chunks of " + contextSize + " tokens");
        }
        int first = contextSize / 2;
        KvCache cache = model.newCache(contextSize);
        double nll = 0;
        double nll2 = 0;
        int count = 0;
        for (int c = 0; c < chunks; c++) {
            long started = System.nanoTime();
            int start = c * contextSize;
            int[] chunk = Arrays.copyOfRange(tokens, start, start + contextSize);
            if (bos >= 0) {
                chunk[0] = bos;
            }
            cache.truncate(0);
            for (int from = 0; from < contextSize; from += batchSize) {
                int to = Math.min(contextSize, from + batchSize);
                int[] slice = Arrays.copyOfRange(chunk, from, to);
                if (to <= first) {
                    model.forward(slice, cache, false);
                    continue;
                }
                float[][] logits = model.forward(slice, cache, true);
                for (int j = Math.max(from, first); j < Math.min(to, contextSize - 1); j++) {
                    double v = negativeLogLikelihood(logits[j - from], tokens[start + j + 1]);
                    nll += v;
                    nll2 += v * v;
                }
            }
            count += contextSize - first - 1;
            listener.chunkDone(new Progress(c + 1, chunks, Math.exp(nll / count),
                    (System.nanoTime() - started) / 1e9));
        }
        double mean = nll / count;
        double variance = nll2 / count - mean * mean;
        double perplexity = Math.exp(mean);
        double uncertainty = variance > 0 ? Math.sqrt(variance / (count - 1)) * perplexity : 0;
        return new Result(perplexity, uncertainty, chunks, count);
    }

    /** {@code -log softmax(logits)[token]}, with the sum of exponentials in double precision. */
    static double negativeLogLikelihood(float[] logits, int token) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - logits[token];
    }
}
