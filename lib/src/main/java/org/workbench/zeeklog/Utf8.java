package org.workbench.zeeklog;

/**
 * UTF-8 checks as Zeek's log writers apply them when {@code LogAscii::enable_utf_8} is on: a sequence is
 * accepted when it is well-formed UTF-8 (Unicode 12, chapter 3, table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF) and its code point is not a control character (U+0000..U+001F,
 * U+007F, U+0080..U+009F), not in the Private Use Area U+E000..U+F8FF and not in U+FFF0..U+FFFF.
 */
final class Utf8 {
    private Utf8() {
    }

    /**
     * Length (1..4) of the accepted sequence starting at {@code i}, or 0 when the byte at {@code i} does
     * not start one (a control character, an invalid or truncated sequence, or a rejected code point).
     */
    static int sequenceLength(byte[] b, int i, int end) {
        int b0 = b[i] & 0xFF;
        if (b0 < 0x80) {
            return b0 >= 0x20 && b0 != 0x7F ? 1 : 0;
        }
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xE0) {
                lo = 0xA0;
            } else if (b0 == 0xED) {
                hi = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            if (b0 == 0xF0) {
                lo = 0x90;
            } else if (b0 == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int b1 = b[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        int cp = n == 2 ? b0 & 0x1F : n == 3 ? b0 & 0x0F : b0 & 0x07;
        cp = cp << 6 | (b1 & 0x3F);
        for (int k = 2; k < n; k++) {
            int bk = b[i + k] & 0xFF;
            if (bk < 0x80 || bk > 0xBF) {
                return 0;
            }
            cp = cp << 6 | (bk & 0x3F);
        }
        if (cp >= 0x80 && cp <= 0x9F || cp >= 0xE000 && cp <= 0xF8FF || cp >= 0xFFF0 && cp <= 0xFFFF) {
            return 0;
        }
        return n;
    }
}
