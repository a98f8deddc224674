package io.jllm.engine.chat.jinja;

import io.jllm.engine.json.Json;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each language feature renders what Python jinja2 3.1.6 renders under transformers' settings
 * (trim_blocks, lstrip_blocks, loop controls, transformers' tojson): every expected string below was
 * produced by jinja2 from the same template and variables, not by this implementation.
 */
class JinjaTemplateTest {
    static String render(String template) {
        return render(template, "{}");
    }

    /** Renders with variables given as JSON (insertion-ordered, like Python dicts). */
    static String render(String template, String variablesJson) {
        return JinjaTemplate.parse(template).render(Json.parseObject(variablesJson), Clock.systemUTC());
    }

    @Nested
    class WhitespaceControl {
        @Test
        void minusStripsWhitespaceOnItsSide() {
            assertThat(render("a  \n {{- 'b' -}} \n  c")).isEqualTo("abc");
        }

        @Test
        void trimBlocksDropsTheNewlineAfterABlockTag() {
            assertThat(render("{% if true %}\nx\n{% endif %}\ny")).isEqualTo("x\ny");
        }

        @Test
        void lstripBlocksDropsIndentBeforeABlockTag() {
            assertThat(render("a\n    {% if true %}b{% endif %}\n")).isEqualTo("a\nb");
        }

        @Test
        void lstripBlocksKeepsTextBeforeATagOnTheSameLine() {
            assertThat(render("a {% if true %}b{% endif %}")).isEqualTo("a b");
        }

        @Test
        void variableTagsAreNotStripped() {
            assertThat(render("a\n  {{ 'b' }}\n")).isEqualTo("a\n  b");
        }

        @Test
        void plusKeepsTheIndent() {
            assertThat(render("a\n  {%+ if true %}b{% endif %}")).isEqualTo("a\n  b");
        }

        @Test
        void commentsAreRemovedLikeBlocks() {
            assertThat(render("a\n  {# note #}\nb{#- x -#}  c")).isEqualTo("a\nbc");
        }

        @Test
        void oneTrailingNewlineOfTheTemplateIsDropped() {
            assertThat(render("x\n\n")).isEqualTo("x\n");
        }
    }

    @Nested
    class Literals {
        @Test
        void stringEscapes() {
            assertThat(render("{{ 'a\\tb\\n\\x41\\u00e9\\\\\\'\\q' }}")).isEqualTo("a\tb\nAé\\'\\q");
        }

        @Test
        void adjacentStringsConcatenate() {
            assertThat(render("{{ 'a' \"b\" }}")).isEqualTo("ab");
        }

        @Test
        void numbersPrintLikePython() {
            assertThat(render("{{ 1 }} {{ 1.0 }} {{ 1e-7 }} {{ 1e16 }} {{ 0.1 + 0.2 }} {{ 1_000 }}"))
                    .isEqualTo("1 1.0 1e-07 1e+16 0.30000000000000004 1000");
        }

        @Test
        void constantsInBothSpellings() {
            assertThat(render("{{ true }} {{ False }} {{ none }} {{ None }}")).isEqualTo("True False None None");
        }

        @Test
        void containersPrintLikePython() {
            assertThat(render("{{ [1, 'a', none, true] }} {{ {'k': 'v', 'n': [1.5]} }} {{ (1,) }} {{ (1, 'b') }} "
                      + "{{ () }}"))
                    .isEqualTo("[1, 'a', None, True] {'k': 'v', 'n': [1.5]} (1,) (1, 'b') ()");
        }

        @Test
        void stringReprPicksTheQuote() {
            assertThat(render("{{ [\"it's\", 'say \"hi\"', 'a\\nb'] }}"))
                    .isEqualTo("[\"it's\", 'say \"hi\"', 'a\\nb']");
        }
    }

    @Nested
    class Operators {
        @Test
        void arithmeticFollowsPython() {
            assertThat(render("{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 4 / 2 }} {{ 2 ** 10 }} "
                      + "{{ 2 ** -1 }} {{ 7.5 // 2 }}"))
                    .isEqualTo("3 -4 2 3.5 2.0 1024 0.5 3.0");
        }

        @Test
        void precedenceAndUnaryMinus() {
            assertThat(render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ -2 ** 2 }} {{ 2 ** 3 ** 2 }} {{ 10 - 2 - 3 }}"))
                    .isEqualTo("7 9 4 64 5");
        }

        @Test
        void plusJoinsStringsAndListsTildeJoinsAnything() {
            assertThat(render("{{ 'a' + 'b' }} {{ [1] + [2] }} {{ 'n=' ~ 1 ~ none ~ x }} {{ 'ab' * 3 }}"))
                    .isEqualTo("ab [1, 2] n=1None ababab");
        }

        @Test
        void comparisonsChain() {
            assertThat(render("{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 'abc' < 'abd' }} {{ [1, 2] < [1, 3] }} "
                      + "{{ 1 == 1.0 }} {{ true == 1 }}"))
                    .isEqualTo("True False True True True True");
        }

        @Test
        void inAndNotIn() {
            assertThat(render("{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }} "
                      + "{{ 'x' in undefined_thing }}"))
                    .isEqualTo("True True True True False");
        }

        @Test
        void andOrReturnAnOperand() {
            assertThat(render("{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }}|{{ not 0 }} {{ not 'a' }}"))
                    .isEqualTo("x b |True False");
        }

        @Test
        void conditionalExpression() {
            assertThat(render("{{ 'y' if 1 > 0 else 'n' }} "
                      + "{{ 'y' if 0 }}|{{ 'a' if false else 'b' if true else 'c' }}"))
                    .isEqualTo("y |b");
        }
    }

    @Nested
    class Access {
        @Test
        void attributesAndItemsOfMappings() {
            assertThat(render("{{ m.a }} {{ m['a'] }} {{ m.b.c }} {{ m['b']['c'] }}", "{\"m\": {\"a\": 1, \"b\": {\"c\": 2}}}"))
                    .isEqualTo("1 1 2 2");
        }

        @Test
        void missingKeysAreUndefined() {
            assertThat(render("[{{ m.zz }}][{{ m['zz'] }}][{{ l[5] }}][{{ none.x }}]", "{\"m\": {}, \"l\": [1]}"))
                    .isEqualTo("[][][][]");
        }

        @Test
        void negativeIndexAndStringIndex() {
            assertThat(render("{{ l[-1] }} {{ 'héllo'[1] }} {{ 'abc'[-1] }} {{ l.0 }}", "{\"l\": [1, 2, 3]}"))
                    .isEqualTo("3 é c 1");
        }

        @Test
        void slicesWithSteps() {
            assertThat(render("{{ 'abcdef'[::-1] }} {{ 'abcdef'[1:] }} {{ 'abcdef'[:-2] }} {{ 'abcdef'[1:5:2] }} "
                      + "{{ l[::-1] }} {{ l[-2:] }} {{ l[5:] }}", "{\"l\": [1, 2, 3]}"))
                    .isEqualTo("fedcba bcdef abcd bd [3, 2, 1] [2, 3] []");
        }

        @Test
        void dictMethods() {
            assertThat(render("{{ m.items()|list }} {{ m.keys()|list }} {{ m.values()|list }} {{ m.get('a') }} "
                      + "{{ m.get('z', 'd') }} {{ m.get('z') }}", "{\"m\": {\"a\": 1, \"b\": 2}}"))
                    .isEqualTo("[('a', 1), ('b', 2)] ['a', 'b'] [1, 2] 1 d None");
        }

        @Test
        void stringMethods() {
            assertThat(render("{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith(('x', 'c')) }} "
                      + "{{ '  x  '.strip() }}|{{ 'xxaxx'.lstrip('x') }}|{{ 'xxaxx'.rstrip('x') }}|{{ 'a,b,,c'.split(',') }} "
                      + "{{ ' a  b '.split() }} {{ 'a,b,c'.split(',', 1) }} {{ 'aXbX'.replace('X', '-') }} "
                      + "{{ 'Ab'.upper() }}{{ 'Ab'.lower() }} {{ \"it's a test\".title() }} "
                      + "{{ 'x{}y{}'.format(1, 'z') }} {{ '-'.join(['a', 'b']) }}"))
                    .isEqualTo("True True x|axx|xxa|['a', 'b', '', 'c'] ['a', 'b'] ['a', 'b,c'] "
                    + "a-b- ABab It'S A Test x1yz a-b");
        }
    }

    @Nested
    class Statements {
        @Test
        void ifElifElse() {
            assertThat(render("{% for x in [1, 2, 3] "
                      + "%}{% if x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %} {% endfor %}"))
                    .isEqualTo("one two many ");
        }

        @Test
        void loopVariables() {
            assertThat(render("{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.first }}{{ loop.last }}{{ loop.length }}[{{ loop.previtem }}|{{ loop.nextitem }}] "
                      + "{% endfor %}"))
                    .isEqualTo("103TrueFalse3[|b] 212FalseFalse3[a|c] 321FalseTrue3[b|] ");
        }

        @Test
        void forWithFilterCountsOnlyKeptItems() {
            assertThat(render("{% for x in range(10) if x is odd %}{{ x }}/{{ loop.length }} {% endfor %}"))
                    .isEqualTo("1/5 3/5 5/5 7/5 9/5 ");
        }

        @Test
        void forElseRunsWhenNothingIsIterated() {
            assertThat(render("{% for x in [] %}x{% else %}empty{% endfor %} {% for x in [1] "
                      + "if x > 5 %}x{% else %}none kept{% endfor %}"))
                    .isEqualTo("empty none kept");
        }

        @Test
        void forUnpacksPairs() {
            assertThat(render("{% for k, v in m.items() %}{{ k }}={{ v }};{% endfor %}{% for a, b in [[1, 2], (3, 4)] "
                      + "%}{{ a + b }}{% endfor %}", "{\"m\": {\"x\": 1, \"y\": 2}}"))
                    .isEqualTo("x=1;y=2;37");
        }

        @Test
        void forOverAMappingVisitsKeys() {
            assertThat(render("{% for k in m %}{{ k }}{% endfor %}", "{\"m\": {\"x\": 1, \"y\": 2}}")).isEqualTo("xy");
        }

        @Test
        void breakAndContinue() {
            assertThat(render("{% for x in range(10) %}{% if x is even %}{% continue %}{% endif %}{% if x > 6 %}{% break %}{% endif %}{{ x }}{% endfor %}"))
                    .isEqualTo("135");
        }

        @Test
        void setInsideALoopDoesNotLeak() {
            assertThat(render("{% set x = 'outer' %}{% for i in [1] %}{% set x = 'inner' %}{{ x }} "
                      + "{% endfor %}{{ x }}"))
                    .isEqualTo("inner outer");
        }

        @Test
        void setInsideIfDoesLeak() {
            assertThat(render("{% if true %}{% set x = 'set' %}{% endif %}{{ x }}")).isEqualTo("set");
        }

        @Test
        void namespaceCarriesValuesOutOfLoops() {
            assertThat(render("{% set ns = namespace(total=0, found=false) %}{% for i in [1, 2, 3] "
                      + "%}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }} {{ ns.found }}"))
                    .isEqualTo("6 False");
        }

        @Test
        void setUnpacksAndBuildsTuples() {
            assertThat(render("{% set a, b = 1, 2 %}{{ a }}{{ b }} {% set t = 1, 2 %}{{ t }}")).isEqualTo("12 (1, 2)");
        }

        @Test
        void blockSetCapturesText() {
            assertThat(render("{% set greeting %}Hello {{ name }}!{% endset %}[{{ greeting }}]", "{\"name\": \"Bob\"}"))
                    .isEqualTo("[Hello Bob!]");
        }

        @Test
        void macrosWithDefaultsAndKeywords() {
            assertThat(render("{% macro tag(name, value='-') %}<{{ name }}={{ value }}>{% endmacro %}{{ tag('a') }}{{ tag('b', 2) }}{{ tag(value=3, name='c') }}{{ tag() }}"))
                    .isEqualTo("<a=-><b=2><c=3><=->");
        }

        @Test
        void rangeForms() {
            assertThat(render("{{ range(3)|list }} {{ range(1, 7, 2)|list }} {{ range(5, 0, -2)|list }}"))
                    .isEqualTo("[0, 1, 2] [1, 3, 5] [5, 3, 1]");
        }
    }

    @Nested
    class Filters {
        @Test
        void stringFilters() {
            assertThat(render("{{ '  x  '|trim }}|{{ 'xxyxx'|trim('x') }}|{{ 'Hi'|upper }}{{ 'Hi'|lower }} "
                      + "{{ 'hELLO world'|capitalize }} {{ \"it's a-test\"|title }} "
                      + "{{ 'aXbX'|replace('X', '') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ 5|string ~ 1 }}"))
                    .isEqualTo("x|y|HIhi Hello world It's A-Test ab bba 51");
        }

        @Test
        void lengthFirstLastJoinList() {
            assertThat(render("{{ l|length }} {{ 'abc'|length }} {{ l|first }} {{ l|last }} {{ l|join(', ') }} "
                      + "{{ 'ab'|list }} {{ l|count }}", "{\"l\": [1, 2, 3]}"))
                    .isEqualTo("3 3 1 3 1, 2, 3 ['a', 'b'] 3");
        }

        @Test
        void defaultReplacesOnlyUndefinedUnlessAskedForFalsy() {
            assertThat(render("{{ x|default('d') }} {{ none|default('d') }} {{ ''|default('d') }} "
                      + "{{ ''|default('d', true) }} {{ 0|d(7, true) }}"))
                    .isEqualTo("d None  d 7");
        }

        @Test
        void numbers() {
            assertThat(render("{{ -3|abs }} {{ '42'|int + 1 }} {{ 'x'|int }} {{ '3.9'|int }} {{ 3.9|int }} "
                      + "{{ '1.5'|float }} {{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} "
                      + "{{ 7|round }} {{ 2.1|round(0, 'ceil') }} {{ [1, 2, 3]|sum }}"))
                    .isEqualTo("3 43 0 3 3 1.5 2.0 4.0 2.67 7 3.0 6");
        }

        @Test
        void tojsonIsPythonJsonDumps() {
            assertThat(render("{{ v|tojson }}|{{ v|tojson(indent=2) }}|{{ 'é\"\\n'|tojson }}|{{ [1.0, 1e-7, none, true]|tojson }}|{{ {}|tojson(indent=2) }}", "{\"v\": {\"a\": [1, {\"b\": \"c\"}], \"d\": {}}}"))
                    .isEqualTo("{\"a\": [1, {\"b\": \"c\"}], \"d\": {}}|{\n  \"a\": [\n    1,\n    {\n      \"b\": \"c\"\n    }\n  ],\n  \"d\": {}\n}|\"é\\\"\\n\"|[1.0, 1e-07, null, true]|{}");
        }

        @Test
        void tojsonSortsKeysAndTakesSeparators() {
            assertThat(render("{{ {'b': 1, 'a': [1, 2]}|tojson(sort_keys=true, separators=(',', ':')) }}"))
                    .isEqualTo("{\"a\":[1,2],\"b\":1}");
        }

        @Test
        void mapSelectReject() {
            assertThat(render("{{ l|map(attribute='n')|list }} {{ l|selectattr('ok')|map(attribute='n')|join }} "
                      + "{{ l|rejectattr('ok')|map(attribute='n')|join }} "
                      + "{{ l|selectattr('n', 'equalto', 2)|list }} {{ [1, 2, 3, 4]|select('even')|list }} "
                      + "{{ [1, 2, 3, 4]|reject('odd')|list }} {{ [1, 2]|map('string')|list }} "
                      + "{{ ['a', '', 'b']|select|list }}", "{\"l\": [{\"n\": 1, \"ok\": true}, {\"n\": 2, \"ok\": false}, {\"n\": 3}]}"))
                    .isEqualTo("[1, 2, 3] 1 23 [{'n': 2, 'ok': False}] [2, 4] [2, 4] ['1', '2'] ['a', 'b']");
        }

        @Test
        void sortUniqueReverseItems() {
            assertThat(render("{{ ['b', 'A', 'a']|sort }} {{ ['b', 'A', 'a']|sort(case_sensitive=true) }} "
                      + "{{ [3, 1, 2]|sort(reverse=true) }} "
                      + "{{ l|sort(attribute='n')|map(attribute='n')|list }} "
                      + "{{ ['b', 'A', 'a', 'b']|unique|list }} {{ 'abc'|reverse }} "
                      + "{{ [1, 2]|reverse|list }} {{ {'k': 1}|items|list }} "
                      + "{{ {'b': 1, 'a': 2}|dictsort }}", "{\"l\": [{\"n\": 2}, {\"n\": 1}]}"))
                    .isEqualTo("['A', 'a', 'b'] ['A', 'a', 'b'] [3, 2, 1] [1, 2] ['b', 'A'] cba [2, 1] [('k', 1)] "
                    + "[('a', 2), ('b', 1)]");
        }

        @Test
        void indent() {
            assertThat(render("[{{ 'a\\nb\\n\\nc'|indent(2) }}] [{{ 'a\\nb'|indent(2, true) }}] "
                      + "[{{ 'a\\n\\nb'|indent('> ', blank=true) }}]"))
                    .isEqualTo("[a\n  b\n\n  c] [  a\n  b] [a\n> \n> b]");
        }

        @Test
        void minMaxSafe() {
            assertThat(render("{{ [3, 1, 2]|max }} {{ ['b', 'A']|min }} {{ '<b>'|safe }}")).isEqualTo("3 A <b>");
        }
    }

    @Nested
    class Tests {
        @Test
        void typeTests() {
            assertThat(render("{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ none is none }} "
                      + "{{ 'a' is string }} {{ {} is mapping }} {{ [] is iterable }} "
                      + "{{ 'a' is iterable }} {{ 1 is iterable }} {{ 1 is number }} {{ true is number }} "
                      + "{{ 1.5 is float }} {{ 1 is integer }} {{ true is integer }} {{ true is boolean }} "
                      + "{{ [] is sequence }} {{ 'a' is sequence }}", "{\"x\": 1}"))
                    .isEqualTo("True False True True True True True True False True True True True False True True True");
        }

        @Test
        void valueTests() {
            assertThat(render("{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 3 is odd }} "
                      + "{{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 'a' is equalto 'a' }} "
                      + "{{ 2 is eq(3) }} {{ 3 is gt 2 }} {{ 2 is in [1, 2] }} {{ 'ab' is lower }} "
                      + "{{ x is not none }}", "{\"x\": 1}"))
                    .isEqualTo("True False True True True True True False True True True True");
        }
    }

    @Nested
    class Undefined {
        @Test
        void undefinedRendersAsNothingAndIsFalsy() {
            assertThat(render("[{{ nothing }}]{% if nothing %}yes{% else %}no{% endif %}{% for x in nothing %}x{% endfor %}{{ nothing|length }}{{ nothing == other }}"))
                    .isEqualTo("[]no0True");
        }
    }

    @Nested
    class TransformersGlobals {
        @Test
        void generationTagRendersItsBody() {
            // transformers' AssistantTracker extension: {% generation %} only marks the assistant's text.
            assertThat(render("a{% generation %}b{% endgeneration %}c")).isEqualTo("abc");
        }

        @Test
        void strftimeNowFormatsTheClock() {
            Clock clock = Clock.fixed(Instant.parse("2024-07-26T09:05:03Z"), ZoneOffset.UTC);
            String out = JinjaTemplate.parse("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%A %B %j %H:%M:%S %p') }}")
                    .render(Map.of(), clock);
            assertThat(out).isEqualTo("26 Jul 2024|Friday July 208 09:05:03 AM");
        }

        @Test
        void javaValuesBecomePythonValues() {
            String out = JinjaTemplate.parse("{{ i + 1 }} {{ f }} {{ a|tojson }} {{ n|tojson }}").render(
                    Map.of("i", 41, "f", 0.5f, "a", new int[] {1, 2}, "n", Json.parse("[1, 1.0, 1e5]")),
                    Clock.systemUTC());
            assertThat(out).isEqualTo("42 0.5 [1, 2] [1, 1.0, 100000.0]");
        }
    }
}
