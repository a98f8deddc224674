package io.jllm.tools.wiki;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PassagesTest {

    @Test
    void groupsUpToThreeSentencesPerPassage() {
        assertThat(Passages.split("One. Two! Three? Four. Five."))
                .containsExactly("One. Two! Three?", "Four. Five.");
    }

    @Test
    void collapsesWhiteSpaceIncludingLineBreaks() {
        assertThat(Passages.split("  A  first\nsentence.\n\n  A second\tone.  "))
                .containsExactly("A first sentence. A second one.");
    }

    @Test
    void startsANewPassageBeforeOneWouldGrowPastTheLimit() {
        // Java's sentence breaker starts a sentence only before a capital letter
        String longSentence = "Word " + "word ".repeat(99).strip() + ".";
        assertThat(Passages.split("Short one. " + longSentence + " " + longSentence))
                .containsExactly("Short one. " + longSentence, longSentence);
    }

    @Test
    void cutsASentenceLongerThanThePassageLimitAtSpaces() {
        String endless = "lorem ".repeat(300).strip();
        assertThat(Passages.split(endless))
                .allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(Passages.MAX_CHARS))
                .hasSize(3);
    }

    @Test
    void blankTextHasNoPassages() {
        assertThat(Passages.split(" \n\t")).isEmpty();
    }
}
