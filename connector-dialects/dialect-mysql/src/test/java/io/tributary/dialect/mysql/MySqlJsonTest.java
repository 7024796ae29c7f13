package io.tributary.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MySqlJsonTest {

    @Test
    void acceptsValidJson() {
        for (String json : new String[] {"{}", "[]", " {\"a\": [1, -2.5e+3, true, false, null, \"\\u00e9\\n\"]} ",
                "\"text\"", "0", "-0.5", "{\"a\":{\"b\":{\"c\":[]}}}", "[\"é😀\"]"}) {
            assertThat(MySqlJson.isValid(json)).as(json).isTrue();
        }
    }

    @Test
    void rejectsInvalidJson() {
        for (String json : new String[] {"", "{", "{not json", "[1,]", "{\"a\" 1}", "01", "1.", "'a'", "[1] x",
                "{\"a\":1,}", "\"\\x\"", "tru", "\"unterminated", "{\"a\":\"tab\there\"}", "NaN"}) {
            assertThat(MySqlJson.isValid(json)).as(json).isFalse();
        }
    }

    @Test
    void containersOnlyForLongText() {
        assertThat(MySqlJson.isContainer(" {\"k\":1} ")).isTrue();
        assertThat(MySqlJson.isContainer("[1]")).isTrue();
        assertThat(MySqlJson.isContainer("123")).isFalse();
        assertThat(MySqlJson.isContainer("\"text\"")).isFalse();
        assertThat(MySqlJson.isContainer("{oops")).isFalse();
    }
}
