package io.jllm.engine.sampling;

/** Picks the candidate with the highest logit; on a tie the one that comes first (lowest id if unsorted). */
public final class Greedy implements Selector {

    @Override
    public int select(Candidates candidates) {
        int best = 0;
        for (int i = 1; i < candidates.size(); i++) {
            if (candidates.logit(i) > candidates.logit(best)) {
                best = i;
            }
        }
        return candidates.id(best);
    }
}
