package io.jllm.tools;

import io.jllm.tools.calculator.Calculator;
import io.jllm.tools.calendar.Calendar;
import io.jllm.tools.wiki.WikiSearch;

import java.nio.file.Path;
import java.time.Clock;

/** The registry of the built-in tools: {@link Calculator}, {@link Calendar} and {@link WikiSearch}. */
public final class BuiltinTools {

    private BuiltinTools() {
    }

    /**
     * @param clock      the calendar's idea of today
     * @param wikiCorpus the corpus WikiSearch searches, or null for none (its calls then say so)
     * @param wikiCache  where WikiSearch keeps its indexes
     */
    public static ToolRegistry registry(Clock clock, Path wikiCorpus, Path wikiCache) {
        return new ToolRegistry()
                .register(new Calculator())
                .register(new Calendar(clock))
                .register(new WikiSearch(wikiCorpus, wikiCache));
    }
}
