package io.jllm.engine.sampling;

import java.util.Arrays;

/**
 * The tokens still in the running for the next position, each with its (possibly adjusted) logit. Samplers
 * narrow the set and reshape the logits; a {@link Selector} finally picks one. Reused from step to step, with
 * its scratch arrays, so a large vocabulary allocates nothing per token.
 */
public final class Candidates {

    private int[] ids = new int[0];
    private float[] logits = new float[0];
    private long[] sortKeys = new long[0];
    private int[] sortedIds = new int[0];
    private float[] sortedLogits = new float[0];
    private double[] probabilities = new double[0];
    private float[] heap = new float[0];
    private int size;
    private boolean sorted;

    /** Refills the set with every token of the vocabulary, in id order. */
    void reset(float[] vocabularyLogits) {
        int n = vocabularyLogits.length;
        if (ids.length != n) {
            ids = new int[n];
            logits = new float[n];
        }
        System.arraycopy(vocabularyLogits, 0, logits, 0, n);
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        size = n;
        sorted = false;
        checkLogits(logits, n);
    }

    /**
     * The token with the highest of {@code vocabularyLogits} (the lowest id on a tie), read in place: greedy
     * decoding without penalties needs no candidate set.
     *
     * @throws IllegalArgumentException as {@link SamplerChain#sample} does
     */
    static int argmax(float[] vocabularyLogits) {
        checkLogits(vocabularyLogits, vocabularyLogits.length);
        int best = 0;
        for (int i = 1; i < vocabularyLogits.length; i++) {
            if (vocabularyLogits[i] > vocabularyLogits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void checkLogits(float[] logits, int n) {
        if (n == 0) {
            throw new IllegalArgumentException("no logits to sample from (empty vocabulary)");
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float logit = logits[i];
            if (Float.isNaN(logit) || logit == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logit of token " + i + " is " + logit);
            }
            max = Math.max(max, logit);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("every one of the " + n + " logits is -Infinity");
        }
    }

    /** Builds a set from explicit logits (token i gets {@code logits[i]}); for callers outside a chain. */
    public static Candidates of(float... logits) {
        Candidates candidates = new Candidates();
        candidates.reset(logits);
        return candidates;
    }

    public int size() {
        return size;
    }

    public int id(int index) {
        return ids[index];
    }

    public float logit(int index) {
        return logits[index];
    }

    void setLogit(int index, float logit) {
        logits[index] = logit;
    }

    /** Keeps the first {@code newSize} candidates. */
    void truncate(int newSize) {
        size = Math.min(size, newSize);
    }

    /**
     * Keeps the {@code k} largest logits, sorted descending. Finds the k-th largest with a size-k min-heap
     * (n log k) so a 150k vocabulary is not fully sorted; among equal logits at the cut the earlier win.
     */
    void keepLargest(int k) {
        if (k < size) {
            float threshold = kthLargest(k);
            int above = 0;
            for (int i = 0; i < size; i++) {
                if (logits[i] > threshold) {
                    above++;
                }
            }
            int tiesLeft = k - above;
            int kept = 0;
            for (int i = 0; i < size; i++) {
                boolean keep = logits[i] > threshold || (logits[i] == threshold && tiesLeft-- > 0);
                if (keep) {
                    ids[kept] = ids[i];
                    logits[kept] = logits[i];
                    kept++;
                }
            }
            size = kept;
            sorted = false;
        }
        sortDescending();
    }

    private float kthLargest(int k) {
        if (heap.length < k) {
            heap = new float[k];
        }
        System.arraycopy(logits, 0, heap, 0, k);
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(heap, k, i);
        }
        for (int i = k; i < size; i++) {
            if (logits[i] > heap[0]) {
                heap[0] = logits[i];
                siftDown(heap, k, 0);
            }
        }
        return heap[0];
    }

    private static void siftDown(float[] heap, int n, int i) {
        while (true) {
            int smallest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < n && heap[left] < heap[smallest]) {
                smallest = left;
            }
            if (right < n && heap[right] < heap[smallest]) {
                smallest = right;
            }
            if (smallest == i) {
                return;
            }
            float t = heap[i];
            heap[i] = heap[smallest];
            heap[smallest] = t;
            i = smallest;
        }
    }

    /** Keeps only the candidates whose logit is at least {@code threshold}, in their current order. */
    void retainAtLeast(float threshold) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (logits[i] >= threshold) {
                ids[kept] = ids[i];
                logits[kept] = logits[i];
                kept++;
            }
        }
        size = kept;
    }

    /** The largest logit among the candidates. */
    float maxLogit() {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, logits[i]);
        }
        return max;
    }

    /**
     * Sorts by descending logit; equal logits keep ascending token id, so the order is deterministic.
     * Packs an order-preserving int image of each float with its index into a long and sorts primitives.
     */
    void sortDescending() {
        if (sorted) {
            return;
        }
        if (sortKeys.length < size) {
            sortKeys = new long[size];
            sortedIds = new int[size];
            sortedLogits = new float[size];
        }
        for (int i = 0; i < size; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
            // Negating the float image sorts descending; ties fall back on the index, ascending.
            sortKeys[i] = ((long) ~ordered << 32) | i;
        }
        Arrays.sort(sortKeys, 0, size);
        for (int i = 0; i < size; i++) {
            int from = (int) sortKeys[i];
            sortedIds[i] = ids[from];
            sortedLogits[i] = logits[from];
        }
        System.arraycopy(sortedIds, 0, ids, 0, size);
        System.arraycopy(sortedLogits, 0, logits, 0, size);
        sorted = true;
    }

    /** Marks the order as unknown after logits changed in a way that may reorder them. */
    void markUnsorted() {
        sorted = false;
    }

    /**
     * Softmax of the candidates' logits, in candidate order (doubles, so long tails do not underflow), in the
     * first {@link #size()} entries of a buffer that the next call overwrites.
     */
    double[] probabilities() {
        if (probabilities.length < size) {
            probabilities = new double[size];
        }
        double[] p = probabilities;
        double max = maxLogit();
        double sum = 0;
        for (int i = 0; i < size; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < size; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
