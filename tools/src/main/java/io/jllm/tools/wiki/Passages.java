package io.jllm.tools.wiki;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts an article into passages of a few whole sentences, the unit that search returns: a hit then answers
 * with the sentences around the matching words rather than with a whole article.
 */
final class Passages {

    static final int MAX_SENTENCES = 3;
    static final int MAX_CHARS = 600;

    private Passages() {
    }

    /** Passages of at most {@link #MAX_SENTENCES} sentences and about {@link #MAX_CHARS} characters. */
    static List<String> split(String text) {
        List<String> passages = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int sentences = 0;
        for (String sentence : sentences(normalize(text))) {
            if (sentences == MAX_SENTENCES
                    || (sentences > 0 && current.length() + 1 + sentence.length() > MAX_CHARS)) {
                passages.add(current.toString());
                current.setLength(0);
                sentences = 0;
            }
            if (!current.isEmpty()) {
                current.append(' ');
            }
            current.append(sentence);
            sentences++;
        }
        if (!current.isEmpty()) {
            passages.add(current.toString());
        }
        return passages;
    }

    /** Collapses runs of white space (line breaks included) to single spaces. */
    static String normalize(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static List<String> sentences(String text) {
        List<String> sentences = new ArrayList<>();
        BreakIterator boundaries = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        boundaries.setText(text);
        for (int start = boundaries.first(), end = boundaries.next(); end != BreakIterator.DONE;
                start = end, end = boundaries.next()) {
            String sentence = text.substring(start, end).strip();
            while (sentence.length() > MAX_CHARS) {
                int cut = sentence.lastIndexOf(' ', MAX_CHARS);
                int at = cut > 0 ? cut : MAX_CHARS;
                sentences.add(sentence.substring(0, at).strip());
                sentence = sentence.substring(at).strip();
            }
            if (!sentence.isEmpty()) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }
}
