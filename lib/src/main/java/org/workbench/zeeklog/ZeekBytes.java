package org.workbench.zeeklog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Conversions between Java strings in a {@link LogRecord} and the bytes Zeek logs carry.
 *
 * <p>Convention (see {@link FieldType}): a char in U+0000..U+00FF stands for the raw byte of the same
 * value, so bytes from the wire travel unchanged whether or not they are text; a char above U+00FF is a
 * text character and stands for its UTF-8 encoding (surrogate pairs are combined into one code point;
 * a lone surrogate becomes the UTF-8 bytes of U+FFFD). A string of only U+0000..U+00FF is therefore a
 * byte string (ISO-8859-1 decoding of the bytes), which is what readers of logs produce.
 */
public final class ZeekBytes {
    private ZeekBytes() {
    }

    /** Whether every char of {@code s} is in U+0000..U+00FF (a pure byte string). */
    public static boolean isByteString(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes a string stands for: one byte per char U+0000..U+00FF, UTF-8 for chars above.
     *
     * @return a new array; never null
     */
    public static byte[] toBytes(String s) {
        if (isByteString(s)) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0xFF) {
                out.write(c);
                continue;
            }
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD;
            }
            byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            out.write(enc, 0, enc.length);
        }
        return out.toByteArray();
    }

    /** The byte string (one char per byte, U+0000..U+00FF) for {@code len} bytes at {@code off}. */
    public static String fromBytes(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** The byte string for all of {@code b}. */
    public static String fromBytes(byte[] b) {
        return fromBytes(b, 0, b.length);
    }

    /**
     * Readable text for a value, for display and data frames: the bytes the string stands for are decoded
     * as UTF-8 where they form valid, printable UTF-8; any other byte (an invalid sequence, or an ASCII
     * control character such as TAB or NUL) is shown as the four characters {@code \xNN} (lower-case hex),
     * as Zeek's logs show it. A backslash stays a single backslash.
     *
     * @return the display text; null for null
     */
    public static String toDisplayText(String s) {
        if (s == null) {
            return null;
        }
        boolean plain = true;
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = c >= 0x20 && c < 0x7F || c > 0xFF;
        }
        if (plain) {
            return s;
        }
        byte[] b = toBytes(s);
        StringBuilder out = new StringBuilder(b.length + 8);
        int i = 0;
        while (i < b.length) {
            int v = b[i] & 0xFF;
            if (v >= 0x20 && v < 0x7F) {
                out.append((char) v);
                i++;
                continue;
            }
            int n = Utf8.sequenceLength(b, i, b.length);
            if (n > 1) {
                out.append(new String(b, i, n, StandardCharsets.UTF_8));
                i += n;
            } else {
                appendHex(out, v);
                i++;
            }
        }
        return out.toString();
    }

    static void appendHex(StringBuilder out, int v) {
        out.append("\\x").append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xF, 16));
    }
}
