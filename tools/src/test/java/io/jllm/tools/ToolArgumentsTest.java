package io.jllm.tools;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ToolArgumentsTest {

    @Test
    void splitsOnCommasAndTrims() {
        assertThat(ToolArguments.split("weekday,  2027-03-15 ")).containsExactly("weekday", "2027-03-15");
        assertThat(ToolArguments.split("a,,b")).containsExactly("a", "", "b");
    }

    @Test
    void keepsCommasInsideQuotesAndRemovesTheQuotes() {
        assertThat(ToolArguments.split("\"Paris, France\", 'x'")).containsExactly("Paris, France", "x");
    }

    @Test
    void blankTextHasNoArguments() {
        assertThat(ToolArguments.split("")).isEmpty();
        assertThat(ToolArguments.split("   ")).isEmpty();
    }

    @Test
    void unquoteRemovesOnePairOfMatchingQuotesOnly() {
        assertThat(ToolArguments.unquote("  \"Brown Act\" ")).isEqualTo("Brown Act");
        assertThat(ToolArguments.unquote("'it'")).isEqualTo("it");
        assertThat(ToolArguments.unquote("\"half")).isEqualTo("\"half");
        assertThat(ToolArguments.unquote("\"")).isEqualTo("\"");
    }
}
