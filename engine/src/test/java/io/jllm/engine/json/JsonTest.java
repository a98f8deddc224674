package io.jllm.engine.json;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void readsNestedValuesInOrder() {
        Map<String, Object> m = Json.parseObject("{\"b\": [1, 2.5, \"x\\n\\u00e9\"], \"a\": {\"t\": true, \"n\": null}}");
        assertThat(m.keySet()).containsExactly("b", "a");
        List<?> b = (List<?>) m.get("b");
        assertThat(((Number) b.get(0)).intValue()).isEqualTo(1);
        assertThat(((Number) b.get(1)).doubleValue()).isEqualTo(2.5);
        assertThat(b.get(2)).isEqualTo("x\né");
        @SuppressWarnings("unchecked") Map<String, Object> a = (Map<String, Object>) m.get("a");
        assertThat(a).containsEntry("t", true).containsEntry("n", null);
    }

    @Test
    void readsNineDigitFloatsAsTheExactFloat() {
        float f = Math.nextUp(0.1f);
        String text = String.format("%.9g", f);
        assertThat(((Number) Json.parse(text)).floatValue()).isEqualTo(f);
    }

    @Test
    void writesWhatItReads() {
        String text = "{\"s\":\"q\\\"\\\\\\t\",\"l\":[1,2],\"f\":[0.5,-1.0E-7],\"b\":false,\"z\":null}";
        Object v = Json.parse(text);
        assertThat(Json.parse(Json.write(v))).isEqualTo(v);
        assertThat(Json.write(new float[] {0.5f, -1e-7f})).isEqualTo("[0.5,-1.0E-7]");
    }

    @Test
    void reportsTheOffsetOfBadInput() {
        assertThatThrownBy(() -> Json.parse("{\"a\": [1, }")).hasMessageContaining("offset 10");
        assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("after the JSON value");
        assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("end of input");
    }
}
