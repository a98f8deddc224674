package io.jllm.engine.chat.jinja;

import io.jllm.engine.chat.ChatTemplateException;

import java.util.Arrays;

/** Template text with newlines normalized to {@code \n}, turning offsets into line and column for errors. */
final class Source {
    final String text;
    private final int[] lineStarts;

    Source(String raw) {
        this.text = raw.replace("\r\n", "\n").replace('\r', '\n');
        int[] starts = new int[16];
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, count);
    }

    ChatTemplateException error(String description, int pos) {
        int i = Arrays.binarySearch(lineStarts, pos);
        int line = i >= 0 ? i : -i - 2;
        return new ChatTemplateException(description, line + 1, pos - lineStarts[line] + 1);
    }
}
