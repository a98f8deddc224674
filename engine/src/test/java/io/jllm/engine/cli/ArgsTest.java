package io.jllm.engine.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {

    private final Args.Declaration declaration = Args.declare()
            .value("-m", "--model")
            .value("-n", "--n-predict")
            .value("--temp")
            .value("--seed")
            .flag("--quiet");

    private Args parse(String... args) {
        return declaration.parse(List.of(args));
    }

    @Test
    void readsValuesByAnyOfTheirNames() {
        Args args = parse("--model", "a.gguf", "-n", "5", "--temp=0.25", "--seed", "-3", "--quiet");
        assertThat(args.string("-m")).isEqualTo("a.gguf");
        assertThat(args.string("--model")).isEqualTo("a.gguf");
        assertThat(args.integer("--n-predict", 128)).isEqualTo(5);
        assertThat(args.decimal("--temp", 0.8f)).isEqualTo(0.25f);
        assertThat(args.longInteger("--seed", 0)).isEqualTo(-3L);
        assertThat(args.has("--quiet")).isTrue();
    }

    @Test
    void fallsBackToDefaultsForAbsentOptions() {
        Args args = parse("-m", "a.gguf");
        assertThat(args.integer("-n", 128)).isEqualTo(128);
        assertThat(args.decimal("--temp", 0.8f)).isEqualTo(0.8f);
        assertThat(args.string("--seed", "none")).isEqualTo("none");
        assertThat(args.has("--quiet")).isFalse();
    }

    @Test
    void aMissingRequiredOptionIsNamedWithItsAliases() {
        assertThatThrownBy(() -> parse("-n", "5").string("-m"))
                .isInstanceOf(UsageException.class).hasMessage("missing required option -m/--model");
    }

    @Test
    void malformedValuesNameTheOption() {
        assertThatThrownBy(() -> parse("-n", "five").integer("-n", 1))
                .isInstanceOf(UsageException.class).hasMessage("option -n expects an integer, got 'five'");
        assertThatThrownBy(() -> parse("--temp", "warm").decimal("--temp", 1))
                .hasMessage("option --temp expects a number, got 'warm'");
        assertThatThrownBy(() -> parse("--temp", "NaN").decimal("--temp", 1))
                .hasMessage("option --temp expects a number, got 'NaN'");
        assertThatThrownBy(() -> parse("--seed", "99999999999999999999").longInteger("--seed", 1))
                .hasMessage("option --seed expects an integer, got '99999999999999999999'");
    }

    @Test
    void rejectsWhatWasNotDeclared() {
        assertThatThrownBy(() -> parse("--tmep", "1")).isInstanceOf(UsageException.class)
                .hasMessage("unknown option --tmep");
        assertThatThrownBy(() -> parse("--tmep=1")).hasMessage("unknown option --tmep");
        assertThatThrownBy(() -> parse("stray")).hasMessage("unexpected argument 'stray'");
    }

    @Test
    void rejectsMisshapenOptions() {
        assertThatThrownBy(() -> parse("-m")).hasMessage("option -m needs a value");
        assertThatThrownBy(() -> parse("-n", "1", "--n-predict", "2")).hasMessage("option --n-predict given twice");
        assertThatThrownBy(() -> parse("--quiet=yes")).hasMessage("option --quiet takes no value");
    }

    @Test
    void aDeclarationMistakeIsTheProgrammersNotTheUsers() {
        assertThatThrownBy(() -> Args.declare().value("-x").flag("-x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("option -x declared twice");
        assertThatThrownBy(() -> parse().has("--nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("option --nope was never declared");
    }
}
