package jinit.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the control protocol needs: responses are written with {@link #quote},
 * {@link #ok} and {@link #error}; {@code jinit ctl} reads them with {@link #parse} (objects
 * become LinkedHashMaps, arrays Lists, numbers Long or Double).
 */
public final class Json {
    private Json() {}

    /** A response line: {"ok":true,MEMBERS}. */
    static String ok(String members) {
        return members.isEmpty() ? "{\"ok\":true}\n" : "{\"ok\":true," + members + "}\n";
    }

    /** A response line: {"ok":false,"error":MESSAGE}. */
    static String error(String message) {
        return "{\"ok\":false,\"error\":" + quote(message) + "}\n";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f || (c >= 0xd800 && c <= 0xdfff && !validSurrogate(s, i))) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** Parses one JSON value; IllegalArgumentException when the text is not JSON. */
    public static Object parse(String text) {
        Json.Parser p = new Json.Parser(text);
        p.space();
        Object v = p.value();
        p.space();
        if (p.at < text.length()) throw p.fail("trailing characters");
        return v;
    }

    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            if (at >= s.length()) throw fail("unexpected end");
            char c = s.charAt(at);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default: return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            at++;
            space();
            if (peek() == '}') {
                at++;
                return m;
            }
            for (;;) {
                space();
                if (peek() != '"') throw fail("expected a name");
                String name = string();
                space();
                expect(':');
                space();
                m.put(name, value());
                space();
                char c = next();
                if (c == '}') return m;
                if (c != ',') throw fail("expected , or }");
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            at++;
            space();
            if (peek() == ']') {
                at++;
                return l;
            }
            for (;;) {
                space();
                l.add(value());
                space();
                char c = next();
                if (c == ']') return l;
                if (c != ',') throw fail("expected , or ]");
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            for (;;) {
                char c = next();
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u':
                        if (at + 4 > s.length()) throw fail("bad \\u escape");
                        try {
                            b.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        } catch (NumberFormatException x) {
                            throw fail("bad \\u escape");
                        }
                        at += 4;
                        break;
                    default: b.append(e);
                }
            }
        }

        private Object number() {
            int start = at;
            while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) at++;
            String n = s.substring(start, at);
            try {
                if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) return Long.parseLong(n);
                return Double.parseDouble(n);
            } catch (NumberFormatException x) {
                throw fail("bad value");
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, at)) throw fail("bad value");
            at += word.length();
            return v;
        }

        void space() {
            while (at < s.length() && " \t\r\n".indexOf(s.charAt(at)) >= 0) at++;
        }

        private char peek() {
            if (at >= s.length()) throw fail("unexpected end");
            return s.charAt(at);
        }

        private char next() {
            char c = peek();
            at++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) throw fail("expected " + c);
        }

        IllegalArgumentException fail(String why) {
            return new IllegalArgumentException(why + " at offset " + at);
        }
    }
}
