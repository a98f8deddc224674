package io.jllm.engine.chat.jinja;

import io.jllm.engine.chat.ChatTemplate;
import io.jllm.engine.chat.ChatTemplateException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every failure is a ChatTemplateException naming the template line and column and saying what went wrong;
 * runtime messages follow the Python exception jinja2 raises for the same template.
 */
class JinjaErrorsTest {
    static void assertFails(String template, int line, int column, String description) {
        assertThatThrownBy(() -> JinjaTemplate.parse(template).render(Map.of(), Clock.systemUTC()))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage("chat template line " + line + ", column " + column + ": " + description);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', textBlock = """
            # what ; template ; line ; column ; description
            attribute of undefined ; {{ nothing.attr }}                                  ; 1 ; 12 ; 'nothing' is undefined
            arithmetic with undefined ; {{ nothing + 1 }}                                   ; 1 ; 12 ; 'nothing' is undefined
            string plus number ; {{ 'a' + 1 }}                                       ; 1 ; 8 ; can only concatenate str (not "int") to str
            unorderable comparison ; {{ 1 < 'a' }}                                       ; 1 ; 4 ; '<' not supported between instances of 'int' and 'str'
            calling a string ; {{ 'a'() }}                                         ; 1 ; 4 ; 'str' object is not callable
            division by zero ; {{ 1 // 0 }}                                        ; 1 ; 6 ; integer division or modulo by zero
            iterating a number ; {% for x in 5 %}{% endfor %}                        ; 1 ; 13 ; 'int' object is not iterable
            unpacking the wrong count ; {% for a, b in [[1, 2, 3]] %}{% endfor %}           ; 1 ; 4 ; too many values to unpack (expected 2, got 3)
            attribute of a non-namespace ; {% set d = {} %}{% set d.x = 1 %}                   ; 1 ; 20 ; cannot assign attribute 'x' on 'd', which is not a namespace()
            tojson of undefined ; {{ nothing|tojson }}                                ; 1 ; 12 ; Object of type Undefined is not JSON serializable
            empty separator ; {{ 'ab'.split('') }}                                ; 1 ; 9 ; empty separator
            slice step zero ; {{ 'ab'[::0] }}                                     ; 1 ; 8 ; slice step cannot be zero
            missing macro argument value ; {% macro f(a) %}{{ a + 1 }}{% endmacro %}{{ f() }}  ; 1 ; 22 ; 'a' is undefined
            endless macro recursion ; {% macro f() %}{{ f() }}{% endmacro %}{{ f() }}     ; 1 ; 19 ; macro calls nested deeper than 100
            huge range ; {{ range(2000000)|length }}                         ; 1 ; 4 ; range() longer than 1000000 items
            huge string ; {{ 'x' * 100000000 }}                               ; 1 ; 8 ; value would be longer than 16777216 items
            unclosed variable tag ; Hello {{ name                                       ; 1 ; 7 ; tag is not closed with '}}'
            unclosed if ; {% if x %}yes                                       ; 1 ; 4 ; 'if' is never closed (expected elif or else or endif)
            unclosed for ; {% for x in y %}{% if x %}{% endif %}               ; 1 ; 4 ; 'for' is never closed (expected else or endfor)
            unclosed comment ; a {# never closed                                   ; 1 ; 3 ; comment is not closed with '#}'
            unknown tag ; {% frobnicate %}                                    ; 1 ; 4 ; unknown or unexpected tag 'frobnicate'
            end tag without a start ; {% endfor %}                                        ; 1 ; 4 ; unknown or unexpected tag 'endfor'
            unknown filter ; {{ x|frobnicate }}                                  ; 1 ; 6 ; no filter named 'frobnicate'
            unknown test ; {{ x is frobnicated }}                              ; 1 ; 9 ; no test named 'frobnicated'
            unterminated string ; {{ 'abc }}                                          ; 1 ; 4 ; string literal is not closed
            unexpected character ; {{ a ? b }}                                         ; 1 ; 6 ; unexpected character '?'
            missing expression ; {{ }}                                               ; 1 ; 4 ; expected an expression but found '}}'
            unbalanced bracket ; {{ [1, 2 }}                                         ; 1 ; 10 ; unexpected '}'
            missing 'in' ; {% for x of y %}{% endfor %}                        ; 1 ; 10 ; expected 'in' in for loop
            """)
    void reportsWhereAndWhat(String what, String template, int line, int column, String description) {
        assertFails(template, line, column, description);
    }

    @Test
    void raiseExceptionCarriesTheTemplatesMessage() {
        assertFails("first line\n  {{ raise_exception('Only user and assistant roles are supported!') }}", 2, 6,
                "Only user and assistant roles are supported!");
    }

    @Test
    void deepNestingIsASyntaxErrorNotAStackOverflow() {
        assertFails("{{ " + "(".repeat(300) + "1" + ")".repeat(300) + " }}", 1, 204,
                "expression nested deeper than 200");
    }

    @Test
    void runawayLoopsStop() {
        assertFails("{% for i in range(2000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}", 1, 30,
                "more than 1000000 loop iterations");
    }

    @Test
    void chatTemplateRejectsBadSyntaxWhenBuilt() {
        assertThatThrownBy(() -> new ChatTemplate("{% for m in messages %}", "<s>", "</s>"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage("chat template line 1, column 4: 'for' is never closed (expected else or endfor)");
    }
}
