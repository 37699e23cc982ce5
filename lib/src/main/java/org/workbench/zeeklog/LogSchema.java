package org.workbench.zeeklog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of one Zeek log stream: its {@code #path} (such as {@code conn} or {@code dns}) and its
 * fields in order, as written on the {@code #fields} and {@code #types} header lines.
 */
public final class LogSchema {
    /** One column: a Zeek field name (dotted for record fields, e.g. {@code id.orig_h}) and its type. */
    public record Field(String name, FieldType type) {
    }

    private final String path;
    private final List<Field> fields;
    private final Map<String, Integer> index;

    /**
     * @param path   the log's path, e.g. {@code "conn"}
     * @param fields the columns in order; names must be unique
     * @throws IllegalArgumentException on a duplicate field name
     */
    public LogSchema(String path, List<Field> fields) {
        this.path = path;
        this.fields = List.copyOf(fields);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < this.fields.size(); i++) {
            if (idx.put(this.fields.get(i).name(), i) != null) {
                throw new IllegalArgumentException("log " + path + ": duplicate field " + this.fields.get(i).name());
            }
        }
        this.index = Collections.unmodifiableMap(idx);
    }

    /** Starts a schema; add fields with {@link Builder#field(String, String)}. */
    public static Builder builder(String path) {
        return new Builder(path);
    }

    public String path() {
        return path;
    }

    public List<Field> fields() {
        return fields;
    }

    public int size() {
        return fields.size();
    }

    /** Position of a field, or -1 when the schema has no such field. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** Field names in order. */
    public List<String> names() {
        List<String> out = new ArrayList<>(fields.size());
        for (Field f : fields) {
            out.add(f.name());
        }
        return out;
    }

    /** Builds a schema field by field. */
    public static final class Builder {
        private final String path;
        private final List<Field> fields = new ArrayList<>();

        private Builder(String path) {
            this.path = path;
        }

        /** Adds a field with a type written as on a {@code #types} line, e.g. {@code "vector[string]"}. */
        public Builder field(String name, String type) {
            fields.add(new Field(name, FieldType.parse(type)));
            return this;
        }

        public LogSchema build() {
            return new LogSchema(path, fields);
        }
    }

    @Override
    public String toString() {
        return path + fields;
    }
}
