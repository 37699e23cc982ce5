package org.workbench.flow;

import java.util.ArrayList;
import java.util.List;

import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSink;

/** Collects log records in memory for assertions. */
final class MemorySink implements LogSink {
    final List<LogRecord> records = new ArrayList<>();

    @Override
    public void write(LogRecord record) {
        records.add(record);
    }

    List<LogRecord> path(String path) {
        List<LogRecord> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (r.schema().path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }
}
