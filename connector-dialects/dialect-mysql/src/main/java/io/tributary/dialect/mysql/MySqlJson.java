package io.tributary.dialect.mysql;

/**
 * A strict RFC 8259 syntax check, so that only valid JSON is nested into the custom fields (an invalid document
 * would corrupt the whole registration's JSON). No values are built.
 */
final class MySqlJson {

    private final String s;
    private int pos;

    private MySqlJson(String s) {
        this.s = s;
    }

    /** Whether {@code text} is one JSON value, surrounded by whitespace at most. */
    static boolean isValid(String text) {
        MySqlJson p = new MySqlJson(text);
        try {
            p.skipWhitespace();
            p.value(0);
            p.skipWhitespace();
            return p.pos == text.length();
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Whether {@code text} is a JSON object or array (not a bare scalar). */
    static boolean isContainer(String text) {
        String t = text.strip();
        return !t.isEmpty() && (t.charAt(0) == '{' || t.charAt(0) == '[') && isValid(t);
    }

    private void value(int depth) {
        if (depth > 512) {
            throw new IllegalArgumentException("nested too deep");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object(int depth) {
        pos++;
        skipWhitespace();
        if (s.charAt(pos) == '}') {
            pos++;
            return;
        }
        while (true) {
            skipWhitespace();
            string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            value(depth + 1);
            skipWhitespace();
            if (s.charAt(pos) == ',') {
                pos++;
            } else {
                expect('}');
                return;
            }
        }
    }

    private void array(int depth) {
        pos++;
        skipWhitespace();
        if (s.charAt(pos) == ']') {
            pos++;
            return;
        }
        while (true) {
            skipWhitespace();
            value(depth + 1);
            skipWhitespace();
            if (s.charAt(pos) == ',') {
                pos++;
            } else {
                expect(']');
                return;
            }
        }
    }

    private void string() {
        expect('"');
        while (true) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c == '\\') {
                char e = s.charAt(pos++);
                if (e == 'u') {
                    for (int i = 0; i < 4; i++) {
                        if (Character.digit(s.charAt(pos++), 16) < 0) {
                            throw new IllegalArgumentException("bad unicode escape");
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
            }
        }
    }

    private void number() {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        if (s.charAt(pos) == '0') {
            pos++;
        } else {
            digits();
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            digits();
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            pos++;
            if (s.charAt(pos) == '+' || s.charAt(pos) == '-') {
                pos++;
            }
            digits();
        }
        if (pos == start) {
            throw new IllegalArgumentException("not a value");
        }
    }

    private void digits() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw new IllegalArgumentException("digit expected");
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) {
            throw new IllegalArgumentException("not a value");
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (s.charAt(pos) != c) {
            throw new IllegalArgumentException("'" + c + "' expected");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }
}
