package org.workbench.zeeklog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.InetAddresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spec-driven value rules: every case of {@code value-rules.tsv} (type, input, expected TSV text, expected
 * JSON text) is checked for TSV and JSON rendering, and for reading the expected text back.
 */
class ZeekValueRulesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Arguments> rules() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = ZeekValueRulesTest.class.getResourceAsStream("value-rules.tsv")) {
            assertNotNull(in, "value-rules.tsv missing from test resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split("\t", -1);
                assertEquals(4, p.length, "value-rules.tsv line " + no + " needs 4 columns: " + line);
                out.add(Arguments.of(no, p[0], p[1], p[2], p[3]));
            }
        }
        assertTrue(out.size() > 100, "expected the full rules table");
        return out.stream();
    }

    @ParameterizedTest(name = "line {0}: {1} {2}")
    @MethodSource("rules")
    void tsvAndJsonRendering(int line, String type, String input, String tsv, String json) throws IOException {
        FieldType t = FieldType.parse(type);
        Object value = value(t, input);
        assertEquals(tsv, ZeekTsvFormat.DEFAULT.formatValue(t, value), "TSV of line " + line);
        assertEquals(json, ZeekJsonFormat.DEFAULT.formatValue(t, value), "JSON of line " + line);

        // reading the TSV text gives a value that renders the same way again
        Object back = ZeekTsvFormat.DEFAULT.parseValue(t, tsv);
        if (t.kind() == FieldType.Kind.DOUBLE && value != null) {
            // doubles are rounded to 6 decimals (and -0.0/0 lose their form): compare numerically
            double v = (Double) value;
            double b = (Double) back;
            assertTrue(Double.isNaN(v) ? Double.isNaN(b) : v == b || Math.abs(v - b) <= Math.max(5e-7, Math.abs(v) * 1e-15),
                    "TSV read-back of line " + line + ": " + b);
        } else {
            assertEquals(tsv, ZeekTsvFormat.DEFAULT.formatValue(t, back), "TSV re-render of line " + line);
        }
        if (isText(t) && value != null) {
            assertArrayEquals(ZeekBytes.toBytes((String) value), ZeekBytes.toBytes((String) back),
                    "TSV read-back bytes of line " + line);
        }
        Object jsonBack = ZeekLogReader.jsonValue(t, MAPPER.readTree(json));
        assertEquals(json, ZeekJsonFormat.DEFAULT.formatValue(t, jsonBack), "JSON re-render of line " + line);
    }

    private static boolean isText(FieldType t) {
        return t.kind() == FieldType.Kind.STRING || t.kind() == FieldType.Kind.ENUM;
    }

    static Object value(FieldType t, String in) {
        if (in.equals("~")) {
            return null;
        }
        if (t.kind().isContainer()) {
            assertTrue(in.startsWith("[") && in.endsWith("]"), "container input must be [..]: " + in);
            List<Object> l = new ArrayList<>();
            String body = in.substring(1, in.length() - 1);
            if (in.equals("[]")) {
                return l;
            }
            for (String e : body.split("\\|", -1)) {
                l.add(e.equals("~") ? null : scalar(t.element(), e));
            }
            return l;
        }
        return scalar(t, in);
    }

    private static Object scalar(FieldType t, String in) {
        return switch (t.kind()) {
            case COUNT -> Long.parseUnsignedLong(in);
            case INT -> Long.parseLong(in);
            case PORT -> Integer.parseInt(in);
            case TIME, INTERVAL, DOUBLE -> Double.parseDouble(in);
            case BOOL -> in.equals("T");
            case ADDR -> InetAddresses.forString(in);
            default -> decode(in);
        };
    }

    /** Java-like escapes: \xNN gives char U+00NN (a byte), \\uXXXX a char, \t \n \r \\. */
    static String decode(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'x' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 't' -> b.append('\t');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}
