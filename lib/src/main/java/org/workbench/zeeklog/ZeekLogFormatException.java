package org.workbench.zeeklog;

/**
 * Malformed Zeek log input: the message names the source (file name) and the 1-based line, e.g.
 * {@code conn.log line 12: field id.orig_p: not a port: 'x'}.
 */
public class ZeekLogFormatException extends RuntimeException {
    private final String source;
    private final long line;

    /**
     * @param source the file name or stream name
     * @param line   1-based line number, or 0 when not tied to a line
     * @param detail what is wrong
     */
    public ZeekLogFormatException(String source, long line, String detail) {
        this(source, line, detail, null);
    }

    public ZeekLogFormatException(String source, long line, String detail, Throwable cause) {
        super(source + (line > 0 ? " line " + line : "") + ": " + detail, cause);
        this.source = source;
        this.line = line;
    }

    /** The file or stream name given to the reader. */
    public String source() {
        return source;
    }

    /** The 1-based line number, or 0. */
    public long line() {
        return line;
    }
}
