package org.workbench.zeeklog;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * Writes one Zeek log (one {@code #path}) in Zeek's ASCII TSV or JSON-lines format
 * ({@link ZeekTsvFormat}, {@link ZeekJsonFormat}).
 *
 * <p>TSV output: the header ({@code #separator} ... {@code #types}) on the first record, one row per
 * record, and {@code #close} on {@link #close()} (header lines only with {@link LogWriterOptions#includeMeta()});
 * JSON output: one object per line, no header. A writer that got no record writes nothing but its header
 * (TSV) when closed. Records whose schema differs from the writer's are written by field name (fields the
 * record lacks are unset). Safe for use by several threads (methods are synchronized).
 */
public final class ZeekLogWriter implements Closeable, Flushable {
    /** Format of {@code #open}/{@code #close} stamps: {@code YYYY-MM-DD-HH-MM-SS}. */
    public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private final OutputStream out;
    private final LogSchema schema;
    private final LogWriterOptions options;
    private final ByteBuf line = new ByteBuf(512);
    private boolean headerWritten;
    private boolean closed;
    private long rows;

    /**
     * A writer on a stream; {@link #close()} closes the stream.
     *
     * @param out     where the log goes (buffered here)
     * @param schema  the log's path and fields
     * @param options format and header settings
     */
    public ZeekLogWriter(OutputStream out, LogSchema schema, LogWriterOptions options) {
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 1 << 16);
        this.schema = Objects.requireNonNull(schema);
        this.options = Objects.requireNonNull(options);
    }

    /**
     * Creates (or truncates) {@code file} and returns a writer on it.
     *
     * @throws IOException when the file cannot be created
     */
    public static ZeekLogWriter open(Path file, LogSchema schema, LogWriterOptions options) throws IOException {
        return new ZeekLogWriter(Files.newOutputStream(file), schema, options);
    }

    /** The columns written (from the constructor). */
    public LogSchema schema() {
        return schema;
    }

    /** Number of records written so far. */
    public synchronized long rows() {
        return rows;
    }

    /**
     * Writes one record.
     *
     * @throws IllegalArgumentException naming the field when a value does not fit its type (nothing is written)
     * @throws UncheckedIOException     when writing fails
     * @throws IllegalStateException    after {@link #close()}
     */
    public synchronized void write(LogRecord record) {
        if (closed) {
            throw new IllegalStateException("log " + schema.path() + " is closed");
        }
        line.clear();
        if (options.format() == LogFormat.JSON) {
            options.jsonFormat().appendRecord(line, record, schema);
        } else {
            options.tsv().appendRow(line, record, schema);
        }
        line.add('\n');
        try {
            writeHeaderIfNeeded();
            line.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing log " + schema.path() + ": " + e.getMessage(), e);
        }
        rows++;
    }

    private void writeHeaderIfNeeded() throws IOException {
        if (headerWritten) {
            return;
        }
        headerWritten = true;
        if (options.format() == LogFormat.TSV && options.includeMeta()) {
            List<String> header = options.tsv().headerLines(schema, stamp());
            for (String h : header) {
                writeText(h);
            }
        }
    }

    private String stamp() {
        return LocalDateTime.now(options.clock()).format(STAMP);
    }

    private void writeText(String s) throws IOException {
        out.write(ZeekBytes.toBytes(s));
        out.write('\n');
    }

    /** Flushes buffered rows to the underlying stream. */
    @Override
    public synchronized void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    /** Writes the header if no record came, then {@code #close} (TSV with meta), and closes the stream. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writeHeaderIfNeeded();
            if (options.format() == LogFormat.TSV && options.includeMeta()) {
                writeText(options.tsv().closeLine(stamp()));
            }
        } finally {
            out.close();
        }
    }
}
