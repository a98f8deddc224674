package io.jllm.engine.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options jllm runs with, from the {@code jvm.options} resource beside this class: the one list that
 * the {@code ./jllm} launcher (as a {@code java @argfile}), the relaunch of {@code java -jar jllm.jar} and the
 * memory test all use. One option per line; {@code #} starts a comment, as in a java argfile.
 */
public final class JvmOptions {

    static final String RESOURCE = "jvm.options";

    private JvmOptions() {
    }

    public static List<String> load() {
        try (InputStream in = JvmOptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + JvmOptions.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static List<String> parse(String text) {
        List<String> options = new ArrayList<>();
        for (String line : text.split("\n")) {
            int comment = line.indexOf('#');
            String content = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (!content.isEmpty()) {
                options.addAll(List.of(content.split("\\s+")));
            }
        }
        return options;
    }
}
