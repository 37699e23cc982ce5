package org.workbench.zeeklog;

import java.io.IOException;

/**
 * Where analyzers send finished log records. Implementations write Zeek TSV or JSON files, collect
 * records in memory, or forward them; analyzers never know which.
 */
public interface LogSink extends AutoCloseable {
    /** Accepts one finished record; records of several paths may be interleaved. */
    void write(LogRecord record);

    /** Flushes and releases whatever the sink holds. */
    @Override
    default void close() throws IOException {
    }
}
