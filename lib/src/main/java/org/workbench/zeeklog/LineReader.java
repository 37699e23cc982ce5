package org.workbench.zeeklog;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads '\n'-terminated lines as bytes with a bounded line length; strips a trailing '\r'. */
final class LineReader implements Closeable {
    private final InputStream in;
    private final String source;
    private final int maxLine;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private boolean eof;
    private byte[] line = new byte[256];
    private int lineLen;
    private long lineNo;

    LineReader(InputStream in, String source, int maxLine) {
        this.in = in;
        this.source = source;
        this.maxLine = maxLine;
    }

    /** Reads the next line; false at end of input. */
    boolean next() throws IOException {
        lineLen = 0;
        boolean any = false;
        while (true) {
            if (pos == lim) {
                if (eof) {
                    break;
                }
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    eof = true;
                    break;
                }
                pos = 0;
                lim = n;
                continue;
            }
            any = true;
            int start = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < lim) {
                pos++;
                break;
            }
        }
        if (!any) {
            return false;
        }
        lineNo++;
        if (lineLen > 0 && line[lineLen - 1] == '\r') {
            lineLen--;
        }
        return true;
    }

    private void append(int start, int n) {
        if (lineLen + n > maxLine) {
            throw new ZeekLogFormatException(source, lineNo + 1, "line longer than " + maxLine + " bytes");
        }
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
        }
        System.arraycopy(buf, start, line, lineLen, n);
        lineLen += n;
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return lineLen;
    }

    long lineNumber() {
        return lineNo;
    }

    boolean startsWith(String ascii) {
        if (lineLen < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (line[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
