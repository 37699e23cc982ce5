package org.workbench.zeeklog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The records of one Zeek log, read lazily from a file or stream (see {@link ZeekLogReader}). Memory use
 * does not depend on the log's size: one line is held at a time (plus the JSON look-ahead window used to
 * infer a schema). Single pass: {@link #iterator()} and {@link #stream()} may be used once.
 *
 * <p>Iteration throws {@link ZeekLogFormatException} (naming the source and line) for malformed input and
 * {@link UncheckedIOException} when reading fails. Close the stream when done (try-with-resources); a
 * {@link #stream()} closes it when the Java stream is closed.
 */
public final class LogStream implements AutoCloseable, Iterable<LogRecord> {
    /** Produces records one by one. */
    interface Source {
        /** The next record, or null at the end. */
        LogRecord next() throws IOException;

        /** Current 1-based line number. */
        long line();

        void close() throws IOException;
    }

    private final String sourceName;
    private final LogFormat format;
    private final LogSchema schema;
    private final Map<String, String> meta;
    private final Source source;
    private boolean iterated;
    private boolean closed;

    LogStream(String sourceName, LogFormat format, LogSchema schema, Map<String, String> meta, Source source) {
        this.sourceName = sourceName;
        this.format = format;
        this.schema = schema;
        this.meta = meta;
        this.source = source;
    }

    /** The log's schema: path from {@code #path} (or the file name), fields from {@code #fields}/{@code #types}. */
    public LogSchema schema() {
        return schema;
    }

    /** The log path, e.g. {@code conn}. */
    public String path() {
        return schema.path();
    }

    /** The file or stream name given when opening (used in error messages). */
    public String sourceName() {
        return sourceName;
    }

    /** The format found in the input. */
    public LogFormat format() {
        return format;
    }

    /**
     * The TSV header values read so far, by key without {@code #} ({@code separator}, {@code set_separator},
     * {@code empty_field}, {@code unset_field}, {@code path}, {@code open}, {@code fields}, {@code types};
     * {@code close} once the end was reached). Empty for JSON.
     */
    public Map<String, String> meta() {
        synchronized (meta) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        }
    }

    /** Current 1-based line number in the input. */
    public long lineNumber() {
        return source.line();
    }

    /**
     * The records in file order; can be called once.
     *
     * @throws IllegalStateException on a second call or after {@link #close()}
     */
    @Override
    public Iterator<LogRecord> iterator() {
        if (iterated || closed) {
            throw new IllegalStateException(sourceName + ": a LogStream can be iterated only once");
        }
        iterated = true;
        return new Iterator<>() {
            private LogRecord next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done || closed) {
                    return false;
                }
                try {
                    next = source.next();
                } catch (IOException e) {
                    throw new UncheckedIOException(sourceName + " line " + source.line() + ": " + e.getMessage(), e);
                }
                if (next == null) {
                    done = true;
                }
                return next != null;
            }

            @Override
            public LogRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                LogRecord r = next;
                next = null;
                return r;
            }
        };
    }

    /** A lazy, sequential stream of the records; closing it closes this LogStream. Can be called once. */
    public Stream<LogRecord> stream() {
        Spliterator<LogRecord> sp = Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(sp, false).onClose(this::close);
    }

    /** Closes the input. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            source.close();
        } catch (IOException e) {
            throw new UncheckedIOException(sourceName + ": " + e.getMessage(), e);
        }
    }
}
