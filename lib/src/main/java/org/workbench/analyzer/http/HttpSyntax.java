package org.workbench.analyzer.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Consumer;

/** Small HTTP/1.x syntax helpers (RFC 9110/9112). Text is handled as ISO-8859-1: one char per byte. */
final class HttpSyntax {
    /**
     * Request methods logged without an {@code unknown_HTTP_method} weird: Zeek's {@code HTTP::http_methods}
     * (RFC 9110 methods and the WebDAV ones) plus {@code QUERY}, which Zeek 9 analyzes.
     */
    static final Set<String> KNOWN_METHODS = Set.of("GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE",
            "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "POLL", "REPORT",
            "SUBSCRIBE", "BMOVE", "SEARCH", "QUERY");

    /** Whether a method name is accepted by the analyzer: letters only, as Zeek's HTTP analyzer requires. */
    static boolean isMethod(String m) {
        if (m.isEmpty()) {
            return false;
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    private HttpSyntax() {
    }

    static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** RFC 9110 token character. */
    static boolean isTokenChar(int c) {
        if (c <= 32 || c >= 127) {
            return false;
        }
        return "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /** Whether {@code v} is an {@code HTTP/d.d} version string ("HTTP" in any letter case, as Zeek accepts). */
    static boolean isVersion(String v) {
        if (!v.regionMatches(true, 0, "HTTP/", 0, 5)) {
            return false;
        }
        int dot = v.indexOf('.', 5);
        return dot > 5 && dot < v.length() - 1 && digits(v, 5, dot) && digits(v, dot + 1, v.length());
    }

    private static boolean digits(String s, int from, int to) {
        if (to - from > 4) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean looksLikeRequest(byte[] d, int off, int len) {
        int n = Math.min(len, 2048);
        int sp = -1;
        for (int i = 0; i < n; i++) {
            if (d[off + i] == ' ') {
                sp = i;
                break;
            }
            if (!isTokenChar(d[off + i] & 0xff)) {
                return false;
            }
        }
        if (sp <= 0) {
            return false;
        }
        int eol = -1;
        for (int i = sp; i < n; i++) {
            if (d[off + i] == '\n' || d[off + i] == '\r') {
                eol = i;
                break;
            }
        }
        String line = latin1(d, off, eol < 0 ? n : eol);
        int v = line.lastIndexOf(" HTTP/");
        return v > sp && isVersion(line.substring(v + 1)) && (eol >= 0 || line.length() >= v + 9);
    }

    static boolean looksLikeResponse(byte[] d, int off, int len) {
        if (len < 12) {
            return false;
        }
        String s = latin1(d, off, Math.min(len, 64));
        int sp = s.indexOf(' ');
        return sp > 0 && isVersion(s.substring(0, sp)) && s.length() >= sp + 4
                && Character.isDigit(s.charAt(sp + 1)) && Character.isDigit(s.charAt(sp + 2))
                && Character.isDigit(s.charAt(sp + 3));
    }

    /**
     * Decodes {@code %XX} escapes of a request target the way Zeek's {@code unescaped_URI} does, reporting odd
     * escapes with Zeek's weird names: {@code illegal_%_at_end_of_URI} (a lone {@code %} ends the target),
     * {@code partial_escape_at_end_of_URI} ({@code %X} ends it) and {@code unescaped_%_in_URI} (a {@code %}
     * not followed by two hex digits). Undecodable escapes are kept as they are.
     */
    static String unescapeUri(String uri, Consumer<String> weird) {
        if (uri.indexOf('%') < 0) {
            return uri;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(uri.length());
        int n = uri.length();
        for (int i = 0; i < n; i++) {
            char c = uri.charAt(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i + 1 >= n) {
                weird.accept("illegal_%_at_end_of_URI");
                out.write('%');
            } else if (i + 2 >= n) {
                weird.accept("partial_escape_at_end_of_URI");
                out.write('%');
                out.write(uri.charAt(i + 1));
                i++;
            } else {
                int h = Character.digit(uri.charAt(i + 1), 16);
                int l = Character.digit(uri.charAt(i + 2), 16);
                if (h >= 0 && l >= 0) {
                    out.write(h << 4 | l);
                    i += 2;
                } else {
                    weird.accept("unescaped_%_in_URI");
                    out.write('%');
                }
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** A parameter's value in a header such as Content-Disposition ({@code filename="x.pdf"}), or null. */
    static String headerParam(String value, String name) {
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        int from = 0;
        while (true) {
            int i = lower.indexOf(name, from);
            if (i < 0) {
                return null;
            }
            boolean boundary = i == 0 || lower.charAt(i - 1) == ';' || lower.charAt(i - 1) == ' '
                    || lower.charAt(i - 1) == '\t';
            int j = i + name.length();
            while (j < value.length() && value.charAt(j) == ' ') {
                j++;
            }
            if (!boundary || j >= value.length() || value.charAt(j) != '=') {
                from = i + 1;
                continue;
            }
            j++;
            while (j < value.length() && value.charAt(j) == ' ') {
                j++;
            }
            if (j < value.length() && value.charAt(j) == '"') {
                int e = value.indexOf('"', j + 1);
                return e < 0 ? value.substring(j + 1) : value.substring(j + 1, e);
            }
            int e = value.indexOf(';', j);
            return (e < 0 ? value.substring(j) : value.substring(j, e)).trim();
        }
    }
}
