package org.workbench.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * Renders a JSON-like document (nested {@code Map}/{@code List} of strings, numbers, booleans and null) as
 * indented, YAML-like text for people: {@code key: value} lines, nested maps indented by two spaces, list items
 * introduced by {@code - }. Strings are printed bare unless empty or containing control characters (then as a
 * JSON string); fractions are printed in plain digits (timestamps in seconds stay readable); empty maps and
 * lists print as {@code {}} and {@code []}.
 */
final class PrettyText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrettyText() {
    }

    /**
     * @param doc a JSON-like document
     * @return its text, one line per scalar, ending with a newline (empty for an empty map)
     */
    static String render(Map<?, ?> doc) {
        StringBuilder sb = new StringBuilder();
        map(sb, doc, "");
        return sb.toString();
    }

    private static void map(StringBuilder sb, Map<?, ?> m, String indent) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            sb.append(indent).append(e.getKey()).append(':');
            value(sb, e.getValue(), indent);
        }
    }

    /** Appends a value after "key:" or "-": inline for scalars and empty containers, else on the next lines. */
    private static void value(StringBuilder sb, Object v, String indent) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            sb.append('\n');
            map(sb, m, indent + "  ");
        } else if (v instanceof List<?> l && !l.isEmpty()) {
            sb.append('\n');
            for (Object item : l) {
                sb.append(indent).append("  -");
                if (item instanceof Map<?, ?> im && !im.isEmpty()) {
                    // first key on the dash line, the rest aligned under it
                    String inner = indent + "    ";
                    StringBuilder sub = new StringBuilder();
                    map(sub, im, inner);
                    sb.append(' ').append(sub, inner.length(), sub.length());
                } else {
                    value(sb, item, indent + "  ");
                }
            }
        } else {
            sb.append(' ').append(scalar(v)).append('\n');
        }
    }

    /**
     * A string as it is safe to print on a terminal: as is, or as a JSON string literal (quoted, control
     * characters escaped) when it is empty, holds control characters (text from captured traffic may carry
     * terminal escape sequences) or has leading or trailing white space.
     */
    static String text(String s) {
        if (s.isEmpty() || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !s.strip().equals(s)) {
            try {
                return JSON.writeValueAsString(s);
            } catch (JsonProcessingException e) {
                return s;
            }
        }
        return s;
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?>) {
            return "{}";
        }
        if (v instanceof List<?>) {
            return "[]";
        }
        if (v instanceof String s) {
            return text(s);
        }
        if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
            // plain digits (1397025540.511405), not Java's scientific notation (1.397025540511405E9)
            return new java.math.BigDecimal(v.toString()).toPlainString();
        }
        return String.valueOf(v);
    }
}
