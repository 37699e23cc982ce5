package org.workbench.zeeklog;

import java.util.Arrays;

/**
 * One row of a Zeek log: a value per field of its {@link LogSchema}. Values follow the Java mapping
 * documented on {@link FieldType}; {@code null} is Zeek's unset value ({@code -}).
 */
public final class LogRecord {
    private final LogSchema schema;
    private final Object[] values;

    public LogRecord(LogSchema schema) {
        this.schema = schema;
        this.values = new Object[schema.size()];
    }

    public LogSchema schema() {
        return schema;
    }

    /**
     * Sets a field by name.
     *
     * @throws IllegalArgumentException when the schema has no such field
     */
    public LogRecord set(String field, Object value) {
        int i = schema.indexOf(field);
        if (i < 0) {
            throw new IllegalArgumentException("log " + schema.path() + " has no field " + field);
        }
        values[i] = value;
        return this;
    }

    /** Sets a field by position. */
    public LogRecord set(int index, Object value) {
        values[index] = value;
        return this;
    }

    /** The value of a field, or null when unset or absent from the schema. */
    public Object get(String field) {
        int i = schema.indexOf(field);
        return i < 0 ? null : values[i];
    }

    public Object get(int index) {
        return values[index];
    }

    @Override
    public String toString() {
        return schema.path() + Arrays.toString(values);
    }
}
