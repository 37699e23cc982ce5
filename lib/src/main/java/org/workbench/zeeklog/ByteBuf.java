package org.workbench.zeeklog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array for building one log line. Not thread-safe. */
final class ByteBuf {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private byte[] buf;
    private int len;

    ByteBuf(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    void clear() {
        len = 0;
        if (buf.length > (1 << 20)) {
            buf = new byte[256];
        }
    }

    int length() {
        return len;
    }

    byte byteAt(int i) {
        return buf[i];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    void add(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void add(byte[] b) {
        add(b, 0, b.length);
    }

    void add(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    /** Appends ASCII text (all chars below U+0080). */
    void addAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    /** Appends {@code \xNN} with lower-case hex digits. */
    void addHexEscape(int b) {
        ensure(4);
        buf[len++] = '\\';
        buf[len++] = 'x';
        buf[len++] = HEX[(b >> 4) & 0xF];
        buf[len++] = HEX[b & 0xF];
    }

    /** Replaces the byte at {@code i} with its {@code \xNN} escape. */
    void escapeByteAt(int i) {
        int b = buf[i] & 0xFF;
        ensure(3);
        System.arraycopy(buf, i + 1, buf, i + 4, len - i - 1);
        len += 3;
        buf[i] = '\\';
        buf[i + 1] = 'x';
        buf[i + 2] = HEX[(b >> 4) & 0xF];
        buf[i + 3] = HEX[b & 0xF];
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** The content decoded as UTF-8. */
    String toUtf8String() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
}
