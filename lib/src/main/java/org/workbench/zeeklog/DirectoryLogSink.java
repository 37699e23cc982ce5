package org.workbench.zeeklog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link LogSink} writing Zeek logs into a directory, one file per log path ({@code conn.log},
 * {@code dns.log}, ...), as Zeek does. A file is created (or truncated) when the first record of its path
 * arrives, so paths that never log leave no file; the directory is created when needed. Each file's
 * columns are the schema of its first record. {@link #close()} finishes every file (Zeek's {@code #close}
 * line). Safe for use by several threads.
 */
public final class DirectoryLogSink implements LogSink {
    private final Path directory;
    private final LogWriterOptions options;
    private final Map<String, ZeekLogWriter> writers = new LinkedHashMap<>();
    private final Map<String, Path> files = new LinkedHashMap<>();
    private boolean closed;

    /** Writes Zeek 9's default TSV logs into {@code directory}. */
    public DirectoryLogSink(Path directory) {
        this(directory, LogWriterOptions.defaults());
    }

    /** Writes logs into {@code directory} with the given format and settings. */
    public DirectoryLogSink(Path directory, LogWriterOptions options) {
        this.directory = Objects.requireNonNull(directory);
        this.options = Objects.requireNonNull(options);
    }

    /** The directory the logs go to. */
    public Path directory() {
        return directory;
    }

    /**
     * Writes one record to the file of its schema's path.
     *
     * @throws UncheckedIOException     when the file cannot be created or written
     * @throws IllegalArgumentException when a value does not fit its field's type
     * @throws IllegalStateException    after {@link #close()}
     */
    @Override
    public void write(LogRecord record) {
        ZeekLogWriter w;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("log sink for " + directory + " is closed");
            }
            String path = record.schema().path();
            w = writers.get(path);
            if (w == null) {
                Path file = directory.resolve(fileName(path));
                try {
                    Files.createDirectories(directory);
                    w = ZeekLogWriter.open(file, record.schema(), options);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create log file " + file + ": " + e.getMessage(), e);
                }
                writers.put(path, w);
                files.put(path, file);
            }
        }
        w.write(record);
    }

    /** The file name for a log path: {@code <path>.<suffix>}. */
    public String fileName(String path) {
        if (path.isEmpty() || path.contains("/") || path.contains("\\") || path.equals("..") || path.equals(".")) {
            throw new IllegalArgumentException("not a usable log path: '" + path + "'");
        }
        return path + "." + options.fileSuffix();
    }

    /** The files created so far, by log path, in creation order. */
    public synchronized Map<String, Path> files() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** Flushes every open file. */
    public synchronized void flush() throws IOException {
        for (ZeekLogWriter w : writers.values()) {
            w.flush();
        }
    }

    /** Closes every file; later writes fail. The first failure is thrown after all files were tried. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        for (ZeekLogWriter w : writers.values()) {
            try {
                w.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
