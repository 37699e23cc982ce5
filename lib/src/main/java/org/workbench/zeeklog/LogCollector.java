package org.workbench.zeeklog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link LogSink} that keeps every record in memory, grouped by log path in arrival order. Meant for
 * tests and small captures (memory grows with the number of records). Safe for use by several threads.
 */
public final class LogCollector implements LogSink {
    private final Map<String, List<LogRecord>> byPath = new LinkedHashMap<>();
    private boolean closed;

    @Override
    public synchronized void write(LogRecord record) {
        byPath.computeIfAbsent(record.schema().path(), p -> new ArrayList<>()).add(record);
    }

    /** The log paths seen so far, in order of first record. */
    public synchronized Set<String> paths() {
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(byPath.keySet()));
    }

    /** A copy of the records of one path (empty when none came). */
    public synchronized List<LogRecord> records(String path) {
        List<LogRecord> l = byPath.get(path);
        return l == null ? List.of() : List.copyOf(l);
    }

    /** Number of records of one path. */
    public synchronized int count(String path) {
        List<LogRecord> l = byPath.get(path);
        return l == null ? 0 : l.size();
    }

    /** The schema of the first record of a path, or null when none came. */
    public synchronized LogSchema schema(String path) {
        List<LogRecord> l = byPath.get(path);
        return l == null || l.isEmpty() ? null : l.get(0).schema();
    }

    /** Values of one field over the records of a path, in order (null where unset or absent). */
    public synchronized List<Object> column(String path, String field) {
        List<Object> out = new ArrayList<>();
        for (LogRecord r : byPath.getOrDefault(path, List.of())) {
            out.add(r.get(field));
        }
        return out;
    }

    /** Forgets all records. */
    public synchronized void clear() {
        byPath.clear();
    }

    /** Whether {@link #close()} was called (records stay available). */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
