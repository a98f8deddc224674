package io.jllm.engine.generate;

import java.util.List;

/**
 * Passes streamed text through until a stop string appears, holding back any tail that could still grow
 * into one, so a stop string (even one spread over several tokens) is never emitted.
 */
final class StopStringFilter {

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    StopStringFilter(List<String> stops) {
        this.stops = stops;
    }

    /** Takes the next piece of text and returns what is now safe to emit; nothing once stopped. */
    String accept(String piece) {
        if (stopped) {
            return "";
        }
        held.append(piece);
        int stopAt = earliestStop();
        if (stopAt >= 0) {
            stopped = true;
            String out = held.substring(0, stopAt);
            held.setLength(0);
            return out;
        }
        int safe = held.length() - longestSuffixStartingAStop();
        String out = held.substring(0, safe);
        held.delete(0, safe);
        return out;
    }

    boolean stopped() {
        return stopped;
    }

    /** The text held back, released when the generation ends for another reason. */
    String drain() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    private int earliestStop() {
        int earliest = -1;
        for (String stop : stops) {
            int at = held.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }

    /** Length of the longest tail of the held text that is a proper prefix of some stop string. */
    private int longestSuffixStartingAStop() {
        String text = held.toString();
        int longest = 0;
        for (String stop : stops) {
            for (int length = Math.min(stop.length() - 1, text.length()); length > longest; length--) {
                if (text.regionMatches(text.length() - length, stop, 0, length)) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
