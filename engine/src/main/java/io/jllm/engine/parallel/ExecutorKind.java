package io.jllm.engine.parallel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The available {@link RangeExecutor}s, selectable by name ({@code --executor spinning|virtual|platform|serial}). */
public enum ExecutorKind {
    SPINNING,
    VIRTUAL,
    PLATFORM,
    SERIAL;

    /** A new executor of this kind for {@code threads} workers (serial ignores the count). */
    public RangeExecutor create(int threads) {
        return switch (this) {
            case SPINNING -> threads == 1 ? new SerialExecutor() : new SpinningExecutor(threads);
            case VIRTUAL -> threads == 1 ? new SerialExecutor() : new VirtualThreadExecutor(threads);
            case PLATFORM -> threads == 1 ? new SerialExecutor() : new PlatformPoolExecutor(threads);
            case SERIAL -> new SerialExecutor();
        };
    }

    public static ExecutorKind parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown executor '" + name + "'; choose one of: "
                    + Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")), e);
        }
    }
}
