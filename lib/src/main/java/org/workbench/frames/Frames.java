package org.workbench.frames;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tables from JSON-like documents, such as the list of extracted files in a {@code view_pcap_details} result:
 * one row per map, one column per key.
 */
public final class Frames {
    private Frames() {
    }

    /**
     * Builds a table with one row per map. Columns are the union of the maps' keys in first-seen order; a
     * column whose values are all integral numbers becomes a {@link LongColumn}, all numbers a
     * {@link DoubleColumn}, all booleans a {@link BooleanColumn}, anything else a {@link StringColumn} (lists
     * joined by {@code ,}, nested maps in their {@code toString} form). Absent or null values are missing.
     *
     * @param name the table's name
     * @param rows the documents; may be empty
     * @return a new table
     * @throws NullPointerException when {@code rows} or one of its elements is null
     */
    public static Table fromMaps(String name, List<? extends Map<String, ?>> rows) {
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        for (Map<String, ?> row : rows) {
            for (String key : row.keySet()) {
                columns.computeIfAbsent(key, k -> new ArrayList<>());
            }
        }
        for (Map<String, ?> row : rows) {
            for (Map.Entry<String, List<Object>> c : columns.entrySet()) {
                c.getValue().add(row.get(c.getKey()));
            }
        }
        Table table = Table.create(name);
        for (Map.Entry<String, List<Object>> c : columns.entrySet()) {
            table.addColumns(column(c.getKey(), c.getValue()));
        }
        return table;
    }

    private static Column<?> column(String name, List<Object> values) {
        List<Object> present = values.stream().filter(v -> v != null).collect(Collectors.toList());
        if (!present.isEmpty() && present.stream().allMatch(v -> v instanceof Boolean)) {
            BooleanColumn col = BooleanColumn.create(name);
            values.forEach(v -> col.append((Boolean) v));
            return col;
        }
        if (!present.isEmpty() && present.stream().allMatch(Frames::isIntegral)) {
            LongColumn col = LongColumn.create(name);
            values.forEach(v -> {
                if (v == null) {
                    col.appendMissing();
                } else {
                    col.append(((Number) v).longValue());
                }
            });
            return col;
        }
        if (!present.isEmpty() && present.stream().allMatch(v -> v instanceof Number)) {
            DoubleColumn col = DoubleColumn.create(name);
            values.forEach(v -> {
                if (v == null) {
                    col.appendMissing();
                } else {
                    col.append(((Number) v).doubleValue());
                }
            });
            return col;
        }
        StringColumn col = StringColumn.create(name);
        values.forEach(v -> col.append(text(v)));
        return col;
    }

    private static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof java.math.BigInteger && ((java.math.BigInteger) v).bitLength() < 64;
    }

    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(v);
    }
}
