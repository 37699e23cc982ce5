package org.workbench.conformance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogSink;

/**
 * Renames log columns as Zeek's {@code Log::default_scope_sep} (the separator inside record field names such as
 * {@code id.orig_h}) and {@code Log::default_field_name_map} (whole-name renames, looked up after the separator
 * is applied) do.
 */
final class FieldRenamingSink implements LogSink {
    private final LogSink out;
    private final Map<String, String> names;
    private final String sep;
    private final Map<LogSchema, LogSchema> schemas = new HashMap<>();

    private FieldRenamingSink(LogSink out, Map<String, String> names, String sep) {
        this.out = out;
        this.names = names;
        this.sep = sep;
    }

    /** The sink itself when nothing is renamed, else a renaming wrapper. */
    static LogSink wrap(LogSink out, Map<String, String> names, String sep) {
        return names.isEmpty() && ".".equals(sep) ? out : new FieldRenamingSink(out, names, sep);
    }

    @Override
    public void write(LogRecord record) {
        LogSchema renamed = schemas.computeIfAbsent(record.schema(), this::rename);
        LogRecord r = new LogRecord(renamed);
        for (int i = 0; i < renamed.size(); i++) {
            r.set(i, record.get(i));
        }
        out.write(r);
    }

    private LogSchema rename(LogSchema s) {
        List<LogSchema.Field> fields = new ArrayList<>();
        for (LogSchema.Field f : s.fields()) {
            String n = f.name().replace(".", sep);
            n = names.getOrDefault(n, names.getOrDefault(f.name(), n));
            fields.add(new LogSchema.Field(n, f.type()));
        }
        return new LogSchema(s.path(), fields);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
