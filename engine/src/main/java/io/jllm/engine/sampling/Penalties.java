package io.jllm.engine.sampling;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;

/**
 * Repetition, frequency and presence penalties over the last {@code lastN} tokens of the context, with
 * llama.cpp's semantics. For a token seen {@code count > 0} times in that window:
 * <pre>
 *   logit = logit &lt;= 0 ? logit * repeat : logit / repeat      (pushes it away from being likely)
 *   logit -= count * frequency + presence
 * </pre>
 * Dividing a negative logit would raise it, hence the multiplication on that side.
 */
public final class Penalties implements Sampler {

    private final float repeat;
    private final float frequency;
    private final float presence;
    private final int[] window;
    private final Int2IntOpenHashMap counts = new Int2IntOpenHashMap();
    private int next;
    private boolean full;

    public Penalties(int lastN, float repeat, float frequency, float presence) {
        if (lastN < 1) {
            throw new IllegalArgumentException("penalty window must be >= 1 token, got " + lastN);
        }
        if (!(repeat > 0) || Float.isInfinite(repeat)) {
            throw new IllegalArgumentException("repeat penalty must be > 0 and finite, got " + repeat);
        }
        if (!Float.isFinite(frequency) || !Float.isFinite(presence)) {
            throw new IllegalArgumentException(
                    "frequency and presence penalties must be finite, got " + frequency + " and " + presence);
        }
        this.repeat = repeat;
        this.frequency = frequency;
        this.presence = presence;
        this.window = new int[lastN];
    }

    @Override
    public void apply(Candidates candidates) {
        if (counts.isEmpty()) {
            return;
        }
        for (int i = 0; i < candidates.size(); i++) {
            int count = counts.get(candidates.id(i));
            if (count > 0) {
                float logit = candidates.logit(i);
                logit = logit <= 0 ? logit * repeat : logit / repeat;
                candidates.setLogit(i, logit - count * frequency - presence);
            }
        }
        candidates.markUnsorted();
    }

    @Override
    public void accept(int token) {
        if (full) {
            int evicted = window[next];
            if (counts.addTo(evicted, -1) == 1) {
                counts.remove(evicted);
            }
        }
        window[next] = token;
        counts.addTo(token, 1);
        next++;
        if (next == window.length) {
            next = 0;
            full = true;
        }
    }

    @Override
    public void reset() {
        counts.clear();
        next = 0;
        full = false;
    }
}
