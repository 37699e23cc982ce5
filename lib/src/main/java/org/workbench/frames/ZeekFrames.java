package org.workbench.frames;

import org.workbench.zeeklog.FieldType;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogStream;
import org.workbench.zeeklog.ZeekBytes;
import org.workbench.zeeklog.ZeekLogReader;
import org.workbench.zeeklog.ZeekTsvFormat;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Zeek logs as Tablesaw {@link Table}s: one call from a log file or {@link LogStream}, typed from the
 * log's {@code #types}, plus helpers to explode container columns, concatenate logs with different columns
 * and build a timeline.
 *
 * <p>Column types ({@link #columnType(FieldType)}):
 * <ul>
 *   <li>{@code time}: {@link DateTimeColumn} of {@link LocalDateTime} in UTC (Zeek times are Unix epoch
 *       seconds, so UTC is the only zone-free reading). Chosen over {@code InstantColumn} because Tablesaw's
 *       date-time column has the richer API (field extraction, time-window summaries, plotting). Tablesaw
 *       stores milliseconds: sub-millisecond digits are dropped. With {@link TimeMode#EPOCH_SECONDS} time
 *       columns are instead {@link DoubleColumn}s of exact epoch seconds;</li>
 *   <li>{@code interval}, {@code double}: {@link DoubleColumn} (intervals in seconds);</li>
 *   <li>{@code count}, {@code int}: {@link LongColumn}; a count above {@link Long#MAX_VALUE} becomes missing
 *       and is reported as a warning (see {@link Conversion#warnings()} and the
 *       {@code org.workbench.frames.ZeekFrames} java.util.logging logger);</li>
 *   <li>{@code port}: {@link IntColumn}; {@code bool}: {@link BooleanColumn};</li>
 *   <li>{@code addr} (canonical text), {@code subnet}, {@code enum}, {@code string} and others:
 *       {@link StringColumn} of display text ({@link ZeekBytes#toDisplayText(String)}: valid UTF-8 decoded,
 *       other bytes as {@code \xNN});</li>
 *   <li>{@code set}, {@code vector}, {@code table}: {@link StringColumn} of the elements joined by
 *       {@code ,} (a comma inside an element is written {@code \x2c}, an unset element {@code -}); split
 *       them with {@link #explode(Table, String)}.</li>
 * </ul>
 * Unset values ({@code -}) are missing. Tablesaw's missing string is the empty string, so empty strings and
 * empty containers are missing too. The table is named after the log path ({@code conn}, {@code dns}, ...).
 */
public final class ZeekFrames {
    private static final Logger LOG = Logger.getLogger(ZeekFrames.class.getName());

    /** Name of the column {@link #timeline} adds to tell which log a row came from. */
    public static final String PATH_COLUMN = "_path";

    private ZeekFrames() {
    }

    /** How {@code time} fields become columns. */
    public enum TimeMode {
        /** {@link DateTimeColumn} of UTC {@link LocalDateTime} (millisecond precision). */
        DATE_TIME,
        /** {@link DoubleColumn} of epoch seconds (full precision). */
        EPOCH_SECONDS
    }

    /** A converted log: the table and the warnings raised while converting (e.g. count overflow). */
    public record Conversion(Table table, List<String> warnings) {
    }

    /**
     * Reads a Zeek log file (TSV, JSON lines, gzip or not) into a table.
     *
     * @throws IOException                                     when the file cannot be read
     * @throws org.workbench.zeeklog.ZeekLogFormatException when it is malformed (names file and line)
     */
    public static Table read(Path file) throws IOException {
        try (LogStream s = ZeekLogReader.open(file)) {
            return toTable(s);
        }
    }

    /** Reads all remaining records of a log stream into a table (the stream is consumed, not closed). */
    public static Table toTable(LogStream logs) {
        return convert(logs.schema(), logs, TimeMode.DATE_TIME).table();
    }

    /** Converts records of one schema (e.g. from a {@link org.workbench.zeeklog.LogCollector}) into a table. */
    public static Table toTable(LogSchema schema, Iterable<LogRecord> records) {
        return convert(schema, records, TimeMode.DATE_TIME).table();
    }

    /**
     * Converts records into a table, returning warnings as well as logging them.
     *
     * @param schema  the columns (records with another schema are read by field name)
     * @param records the rows
     * @param mode    how to represent {@code time} fields
     */
    public static Conversion convert(LogSchema schema, Iterable<LogRecord> records, TimeMode mode) {
        List<LogSchema.Field> fields = schema.fields();
        int n = fields.size();
        Column<?>[] cols = new Column<?>[n];
        for (int i = 0; i < n; i++) {
            cols[i] = newColumn(fields.get(i), mode);
        }
        long[] overflow = new long[n];
        String[] firstOverflow = new String[n];
        int row = 0;
        for (LogRecord r : records) {
            boolean same = r.schema() == schema;
            for (int i = 0; i < n; i++) {
                LogSchema.Field f = fields.get(i);
                Object v = same ? r.get(i) : r.get(f.name());
                if (!append(cols[i], f.type(), v, mode)) {
                    if (overflow[i]++ == 0) {
                        firstOverflow[i] = "row " + (row + 1) + " value " + Long.toUnsignedString((Long) v);
                    }
                }
            }
            row++;
        }
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (overflow[i] > 0) {
                String w = "log " + schema.path() + " column " + fields.get(i).name() + ": " + overflow[i]
                        + " count value(s) above Long.MAX_VALUE set missing (first at " + firstOverflow[i] + ")";
                warnings.add(w);
                LOG.warning(w);
            }
        }
        return new Conversion(Table.create(schema.path(), cols), List.copyOf(warnings));
    }

    /** The Tablesaw column type for a Zeek type (see the class description). */
    public static ColumnType columnType(FieldType t, TimeMode mode) {
        return switch (t.kind()) {
            case TIME -> mode == TimeMode.DATE_TIME ? ColumnType.LOCAL_DATE_TIME : ColumnType.DOUBLE;
            case INTERVAL, DOUBLE -> ColumnType.DOUBLE;
            case COUNT, INT -> ColumnType.LONG;
            case PORT -> ColumnType.INTEGER;
            case BOOL -> ColumnType.BOOLEAN;
            default -> ColumnType.STRING;
        };
    }

    /** The Tablesaw column type for a Zeek type with {@link TimeMode#DATE_TIME}. */
    public static ColumnType columnType(FieldType t) {
        return columnType(t, TimeMode.DATE_TIME);
    }

    private static Column<?> newColumn(LogSchema.Field f, TimeMode mode) {
        return columnType(f.type(), mode).create(f.name());
    }

    /** Appends one value; false when a count overflowed (appended as missing). */
    private static boolean append(Column<?> col, FieldType t, Object v, TimeMode mode) {
        if (v == null) {
            col.appendMissing();
            return true;
        }
        switch (t.kind()) {
            case TIME -> {
                double s = ((Number) v).doubleValue();
                if (mode == TimeMode.EPOCH_SECONDS) {
                    ((DoubleColumn) col).append(s);
                } else if (Double.isFinite(s)) {
                    ((DateTimeColumn) col).append(utc(s));
                } else {
                    col.appendMissing();
                }
            }
            case INTERVAL, DOUBLE -> ((DoubleColumn) col).append(((Number) v).doubleValue());
            case COUNT -> {
                long l = ((Number) v).longValue();
                if (v instanceof Long && l < 0) {
                    col.appendMissing();
                    return false;
                }
                ((LongColumn) col).append(l);
            }
            case INT -> ((LongColumn) col).append(((Number) v).longValue());
            case PORT -> ((IntColumn) col).append(((Number) v).intValue());
            case BOOL -> ((BooleanColumn) col).append((Boolean) v);
            default -> ((StringColumn) col).append(text(t, v));
        }
        return true;
    }

    /** Epoch seconds as a UTC date-time, rounded to the microsecond. */
    static LocalDateTime utc(double seconds) {
        long sec = (long) Math.floor(seconds);
        long micros = Math.round((seconds - sec) * 1e6);
        if (micros >= 1_000_000) {
            sec++;
            micros -= 1_000_000;
        }
        return LocalDateTime.ofEpochSecond(sec, (int) (micros * 1000), ZoneOffset.UTC);
    }

    private static String text(FieldType t, Object v) {
        if (t.kind().isContainer()) {
            Collection<?> c = v instanceof Collection<?> col ? col
                    : v instanceof Object[] arr ? java.util.Arrays.asList(arr) : List.of(v);
            StringBuilder s = new StringBuilder();
            boolean first = true;
            for (Object e : c) {
                if (!first) {
                    s.append(',');
                }
                first = false;
                s.append(e == null ? "-" : scalarText(t.element(), e).replace(",", "\\x2c"));
            }
            return s.toString();
        }
        return scalarText(t, v);
    }

    private static String scalarText(FieldType t, Object v) {
        if (v instanceof InetAddress || t.kind() == FieldType.Kind.ADDR) {
            return ZeekTsvFormat.formatAddress(v);
        }
        if (v instanceof String s) {
            return ZeekBytes.toDisplayText(s);
        }
        if (v instanceof Double d) {
            return ZeekTsvFormat.formatDouble(d);
        }
        return String.valueOf(v);
    }

    /**
     * One row per element of a container column: the column's text is split at {@code ,} (and
     * {@code \x2c} turned back into a comma); a missing value stays one row with a missing value. Other
     * columns are repeated.
     *
     * @throws IllegalArgumentException when the table has no such string column
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Table explode(Table table, String column) {
        if (!table.columnNames().contains(column) || !(table.column(column) instanceof StringColumn src)) {
            throw new IllegalArgumentException("table " + table.name() + " has no string column " + column);
        }
        List<Integer> rows = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int r = 0; r < table.rowCount(); r++) {
            if (src.isMissing(r)) {
                rows.add(r);
                values.add(null);
                continue;
            }
            for (String e : src.get(r).split(",", -1)) {
                rows.add(r);
                values.add(e.replace("\\x2c", ","));
            }
        }
        List<Column<?>> out = new ArrayList<>();
        for (Column<?> c : table.columns()) {
            if (c.name().equals(column)) {
                StringColumn s = StringColumn.create(column);
                for (String v : values) {
                    if (v == null) {
                        s.appendMissing();
                    } else {
                        s.append(v);
                    }
                }
                out.add(s);
            } else {
                Column copy = c.emptyCopy();
                for (int r : rows) {
                    copy.append((Column) c, r);
                }
                out.add(copy);
            }
        }
        return Table.create(table.name(), out);
    }

    /**
     * Stacks tables with different columns: the result has the union of the columns (a name with the same
     * type in several tables is one column; the first table's columns come first, then new ones in order of
     * appearance), missing where a table lacks a column. A name with different types in different tables
     * becomes a string column. The result is named after the tables ({@code conn}, or {@code conn+dns} when
     * names differ).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Table concat(Table... tables) {
        Map<String, ColumnType> union = new LinkedHashMap<>();
        Set<String> conflicts = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Table t : tables) {
            names.add(t.name() == null ? "" : t.name());
            for (Column<?> c : t.columns()) {
                ColumnType prev = union.putIfAbsent(c.name(), c.type());
                if (prev != null && !prev.equals(c.type())) {
                    conflicts.add(c.name());
                }
            }
        }
        List<Column<?>> out = new ArrayList<>();
        for (Map.Entry<String, ColumnType> e : union.entrySet()) {
            String name = e.getKey();
            boolean conflict = conflicts.contains(name);
            Column col = conflict ? StringColumn.create(name) : e.getValue().create(name);
            for (Table t : tables) {
                if (!t.columnNames().contains(name)) {
                    for (int r = 0; r < t.rowCount(); r++) {
                        col.appendMissing();
                    }
                } else if (conflict) {
                    Column<?> src = t.column(name);
                    for (int r = 0; r < t.rowCount(); r++) {
                        if (src.isMissing(r)) {
                            col.appendMissing();
                        } else {
                            ((StringColumn) col).append(src.getString(r));
                        }
                    }
                } else {
                    col.append((Column) t.column(name));
                }
            }
            out.add(col);
        }
        if (!conflicts.isEmpty()) {
            LOG.warning("concat: columns " + conflicts + " have different types in different tables; made strings");
        }
        return Table.create(String.join("+", names), out);
    }

    /**
     * A timeline over several logs: the tables are concatenated ({@link #concat}), a {@value #PATH_COLUMN}
     * column names each row's source table, the rows are sorted by {@code timeColumn} (ascending; missing
     * times first) and the time column is moved first, {@value #PATH_COLUMN} second.
     *
     * @throws IllegalArgumentException when a table lacks the time column
     */
    public static Table timeline(String timeColumn, Table... tables) {
        List<Table> tagged = new ArrayList<>();
        for (Table t : tables) {
            if (!t.columnNames().contains(timeColumn)) {
                throw new IllegalArgumentException("table " + t.name() + " has no column " + timeColumn);
            }
            Table c = t.copy();
            StringColumn path = StringColumn.create(PATH_COLUMN);
            for (int r = 0; r < t.rowCount(); r++) {
                path.append(t.name());
            }
            c.addColumns(path);
            tagged.add(c);
        }
        Table all = concat(tagged.toArray(new Table[0])).sortAscendingOn(timeColumn);
        List<String> order = new ArrayList<>();
        order.add(timeColumn);
        order.add(PATH_COLUMN);
        for (String n : all.columnNames()) {
            if (!n.equals(timeColumn) && !n.equals(PATH_COLUMN)) {
                order.add(n);
            }
        }
        Table result = all.reorderColumns(order.toArray(new String[0]));
        result.setName("timeline");
        return result;
    }

    /**
     * Registers a reader for files ending {@code .log} with Tablesaw's default registry, so that
     * {@code Table.read().file("conn.log")} reads Zeek logs typed as here. This changes Tablesaw's global
     * registry (affecting every later {@code .log} read in the JVM); call it once, explicitly.
     */
    public static void registerTablesawReader() {
        ZeekTableReader.register(Table.defaultReaderRegistry);
    }
}
