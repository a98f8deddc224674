package io.jllm.tools;

import java.util.ArrayList;
import java.util.List;

/** Splits and unquotes argument texts the way models write them: {@code weekday, "2027-03-15"}. */
public final class ToolArguments {

    private ToolArguments() {
    }

    /**
     * Splits on commas outside double quotes, trims each part and removes its surrounding quotes.
     * An empty or blank text gives an empty list.
     */
    public static List<String> split(String arguments) {
        List<String> parts = new ArrayList<>();
        if (arguments.isBlank()) {
            return parts;
        }
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(unquote(current.toString()));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(unquote(current.toString()));
        return parts;
    }

    /** Trims the text and removes one pair of surrounding double or single quotes. */
    public static String unquote(String text) {
        String t = text.strip();
        if (t.length() >= 2) {
            char first = t.charAt(0);
            char last = t.charAt(t.length() - 1);
            if ((first == '"' && last == '"') || (first == '\'' && last == '\'')) {
                return t.substring(1, t.length() - 1).strip();
            }
        }
        return t;
    }
}
