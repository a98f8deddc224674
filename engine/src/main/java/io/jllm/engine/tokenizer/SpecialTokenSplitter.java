package io.jllm.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts special-token text out of the input before the model's tokenizer sees it (llama.cpp's
 * {@code tokenizer_st_partition}). Tokens are tried longest first; user-defined tokens are always cut out,
 * control and unknown tokens only when special-token parsing is on.
 */
final class SpecialTokenSplitter {

    /** A piece of the input: plain text for the tokenizer, or a token already recognised. */
    sealed interface Fragment {
    }

    record Text(String text) implements Fragment {
    }

    record Token(int id) implements Fragment {
    }

    private final Vocabulary vocabulary;

    SpecialTokenSplitter(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(new Text(text));
        for (int id : vocabulary.specialTokensLongestFirst) {
            if (!parseSpecial && vocabulary.has(id, TokenAttributes.CONTROL | TokenAttributes.UNKNOWN)) {
                continue;
            }
            fragments = splitOn(fragments, id);
        }
        return fragments;
    }

    private List<Fragment> splitOn(List<Fragment> fragments, int id) {
        String special = vocabulary.texts[id];
        boolean lstrip = vocabulary.has(id, TokenAttributes.LSTRIP);
        boolean rstrip = vocabulary.has(id, TokenAttributes.RSTRIP);
        List<Fragment> result = new ArrayList<>(fragments.size());
        for (Fragment fragment : fragments) {
            if (!(fragment instanceof Text(String text)) || !text.contains(special)) {
                result.add(fragment);
                continue;
            }
            int from = 0;
            int match;
            while (from < text.length() && (match = text.indexOf(special, from)) >= 0) {
                int leftEnd = match;
                if (lstrip) {
                    while (leftEnd > from && isCSpace(text.charAt(leftEnd - 1))) {
                        leftEnd--;
                    }
                }
                if (leftEnd > from) {
                    result.add(new Text(text.substring(from, leftEnd)));
                }
                result.add(new Token(id));
                from = match + special.length();
                if (rstrip) {
                    while (from < text.length() && isCSpace(text.charAt(from))) {
                        from++;
                    }
                }
            }
            if (from < text.length()) {
                result.add(new Text(text.substring(from)));
            }
        }
        return result;
    }

    /** C's {@code isspace} in the "C" locale, which llama.cpp uses for LSTRIP/RSTRIP. */
    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
